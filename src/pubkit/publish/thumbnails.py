"""Pages of a preview PDF as PNG thumbnails, from PDFium, cached until the PDF changes."""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from pathlib import Path

#: Thumbnails kept in memory (a few KB each): enough for every page of a large release in every language.
THUMBNAIL_CACHE = 512
THUMBNAIL_WIDTH = 300


class Thumbnails:
    """The desk's thumbnails: one PDFium at a time (it is not thread-safe), the newest kept in memory."""

    def __init__(self) -> None:
        self._pdfium_lock = threading.Lock()
        self._thumbnails: OrderedDict[tuple, bytes] = OrderedDict()

    def pdf_pages(self, pdf: Path) -> int:
        import pypdfium2

        with self._pdfium_lock:
            document = pypdfium2.PdfDocument(pdf.read_bytes())
            try:
                return len(document)
            finally:
                document.close()

    def thumbnail(self, pdf: Path, page: int) -> bytes | None:
        """Page ``page`` (from 1) of ``pdf`` as a PNG, from PDFium; cached until the PDF changes."""
        import pypdfium2

        info = pdf.stat()
        key = (str(pdf), info.st_size, info.st_mtime_ns, page)
        if key in self._thumbnails:
            self._thumbnails.move_to_end(key)
            return self._thumbnails[key]
        with self._pdfium_lock:
            document = pypdfium2.PdfDocument(pdf.read_bytes())
            try:
                if not 1 <= page <= len(document):
                    return None
                sheet = document[page - 1]
                image = sheet.render(scale=THUMBNAIL_WIDTH / sheet.get_width()).to_pil()
                sheet.close()
            finally:
                document.close()
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=False)
        self._thumbnails[key] = out.getvalue()
        while len(self._thumbnails) > THUMBNAIL_CACHE:
            self._thumbnails.popitem(last=False)
        return self._thumbnails[key]
