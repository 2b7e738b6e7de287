"""QR symbols as inline SVG: crisp at any size, on screen and in PDFs."""

from __future__ import annotations

import qrcode
import qrcode.image.svg


def qr_svg(data: str, *, title: str = "") -> str:
    """An ``<svg>`` element (no XML declaration) for embedding in HTML."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(data)
    code.make(fit=True)
    image = code.make_image(image_factory=qrcode.image.svg.SvgPathImage)
    svg: str = image.to_string(encoding="unicode")
    svg = svg[svg.index("<svg") :]
    if title:
        svg = svg.replace(">", f' role="img" aria-label="{_escape(title)}">', 1)
    return svg


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
