"""The pixel size of an image a web page shows, so the browser reserves its space before it loads."""

from __future__ import annotations

from pathlib import Path


def size_attributes(path: Path) -> dict[str, str]:
    """``{"width": …, "height": …}`` read from the image's header; empty when unknown (SVG, damaged).

    Pillow reads only the header here, never the pixels, so a huge or hostile image costs nothing.
    """
    from PIL import Image  # a dependency of WeasyPrint; imported only for pages that have images

    try:
        with Image.open(path) as image:
            width, height = image.size
    except Exception:  # noqa: BLE001  not an image Pillow knows: the page simply omits the size
        return {}
    return {"width": str(width), "height": str(height)}
