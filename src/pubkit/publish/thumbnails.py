"""Pages of a PDF as small PNG pictures, for the review desk's columns (PDFium, through pypdfium2)."""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from pathlib import Path

#: Thumbnails kept in memory (a few KB each): enough for every page of a large release in every language.
THUMBNAIL_CACHE = 512
THUMBNAIL_WIDTH = 300


class Thumbnails:
    """Page counts and page pictures of PDFs, each picture cached until its PDF changes."""

    def __init__(self) -> None:
        self._pdfium_lock = threading.Lock()  # PDFium is not thread-safe
        self._cache: OrderedDict[tuple, bytes] = OrderedDict()

    def pages(self, pdf: Path) -> int:
        import pypdfium2

        with self._pdfium_lock:
            document = pypdfium2.PdfDocument(pdf.read_bytes())
            try:
                return len(document)
            finally:
                document.close()

    def png(self, pdf: Path, page: int) -> bytes | None:
        """Page ``page`` (from 1) of ``pdf`` as a PNG; None if there is no such page."""
        import pypdfium2

        info = pdf.stat()
        key = (str(pdf), info.st_size, info.st_mtime_ns, page)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
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
        self._cache[key] = out.getvalue()
        while len(self._cache) > THUMBNAIL_CACHE:
            self._cache.popitem(last=False)
        return self._cache[key]
