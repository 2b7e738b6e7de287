"""QR symbols as inline SVG: crisp at any size, on screen and in PDFs."""

from __future__ import annotations

from collections.abc import Iterator

import qrcode


def qr_matrix(data: str, *, mask_pattern: int | None = None) -> list[list[bool]]:
    """The symbol's modules (True: dark), error correction M, the quiet zone of 4 included;
    ``mask_pattern`` fixes the mask instead of letting qrcode score all eight."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4, mask_pattern=mask_pattern)
    code.add_data(data)
    code.make(fit=True)
    modules: list[list[bool]] = code.get_matrix()
    return modules


def dark_runs(modules: list[list[bool]]) -> Iterator[tuple[int, int, int]]:
    """Each run of dark modules in a row: (row, first column, column after the last)."""
    for y, row in enumerate(modules):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            yield y, start, x


def qr_svg(data: str, *, title: str = "") -> str:
    """An ``<svg>`` element (no XML declaration) for embedding in HTML, one unit per module,
    the quiet zone included.

    Each run of dark modules in a row is one rectangle of the path: half the commands of one
    square per module, which halves the time WeasyPrint takes to draw it (a group's PDF
    draws hundreds)."""
    modules = qr_matrix(data)
    size = len(modules)
    path = [f"M{start} {y}h{end - start}v1h{start - end}z" for y, start, end in dark_runs(modules)]
    label = f' role="img" aria-label="{_escape(title)}"' if title else ""
    return (
        f'<svg width="{size}mm" height="{size}mm" viewBox="0 0 {size} {size}" xmlns="http://www.w3.org/2000/svg"'
        f'{label}><path d="{"".join(path)}"/></svg>'
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
