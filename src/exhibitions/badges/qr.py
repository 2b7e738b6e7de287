"""The badges' QR symbols, made by ``qrcode`` with a fixed mask and drawn as inline SVG in as
few path commands as possible.

Two costs dominated a sheet of a thousand badges (docs/benchmarks.md, "Badges"):

- ``qrcode`` picks a mask by building the symbol eight times and scoring each in pure Python
  (about 12 ms a symbol). ISO/IEC 18004 lets an encoder use any of the eight masks: the score
  only steers away from patterns that could trouble a reader, and a badge carries a short URL
  printed large. So the badges give ``qrcode`` one (``mask_pattern``) and the symbol is built
  once; tests/badges/test_qr.py reads back symbols of every length a badge uses.
- WeasyPrint parses an SVG path command by command. Each horizontal run of dark modules
  is one stroked line, ``M x y.5h w`` (two commands), instead of a filled rectangle (five).
"""

from __future__ import annotations

from exhibitions.tickets.qr import dark_runs
from exhibitions.tickets.qr import qr_matrix as _symbol

# The checkerboard mask: it breaks up the long runs and blocks the score penalizes most.
MASK = 0


def qr_matrix(data: str) -> list[list[bool]]:
    """The symbol's modules (True: dark), quiet zone included: the tickets' symbol, with MASK."""
    return _symbol(data, mask_pattern=MASK)


def qr_svg(data: str) -> str:
    """An ``<svg>`` element for embedding in HTML, one unit per module, quiet zone included;
    the template's stylesheet gives it its printed size."""
    modules = qr_matrix(data)
    size = len(modules)
    commands = [f"M{start} {y}.5h{end - start}" for y, start, end in dark_runs(modules)]
    return (
        f'<svg viewBox="0 0 {size} {size}" xmlns="http://www.w3.org/2000/svg">'
        f'<path stroke="#000" stroke-width="1" d="{"".join(commands)}"/></svg>'
    )
