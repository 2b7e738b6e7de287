"""The badges' QR symbols: chosen as ``qrcode`` would choose them, in a quarter of the time,
and drawn as inline SVG in as few path commands as possible.

Two costs dominated a sheet of a thousand badges (docs/benchmarks.md, "Badges"):

- ``qrcode`` picks the mask by building the symbol eight times and scoring each in pure
  Python (about 12 ms a symbol). The eight candidates differ only in the data modules, by
  the masks' own patterns, so here the symbol is built once (mask 0, in qrcode's "test"
  mode), the seven others are derived with numpy, scored with numpy by the same four
  penalty rules, and the symbol is built once more with the winner. The result is the
  same symbol qrcode makes (tests/badges/test_qr.py compares them).
- WeasyPrint parses an SVG path command by command. Each horizontal run of dark modules
  is one stroked line, ``M x y.5h w`` (two commands), instead of a filled rectangle (five).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import qrcode
import qrcode.main
import qrcode.util

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_M
BORDER = 4  # the quiet zone the standard asks for, in modules


def qr_matrix(data: str) -> list[list[bool]]:
    """The symbol's modules (True: dark), quiet zone included: the very symbol
    ``qrcode.QRCode(error_correction=M, border=4).make(fit=True)`` makes."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECTION, border=BORDER)
    code.add_data(data)
    code.best_fit()
    code.makeImpl(True, 0)
    mask = best_mask(code.modules, code.version)
    code.makeImpl(False, mask)
    matrix: list[list[bool]] = code.get_matrix()
    return matrix


def best_mask(test_modules: list[list[bool | None]], version: int) -> int:
    """The mask with the fewest penalty points (the first of equals), from the symbol built
    with mask 0 in qrcode's test mode (format and version bits all light)."""
    import numpy as np

    base = np.array(test_modules, dtype=bool)
    data = _data_region(version)
    patterns = _mask_patterns(len(base))
    scores = [penalty(base ^ (data & (patterns[0] ^ patterns[mask]))) for mask in range(8)]
    return int(np.argmin(scores))


def penalty(modules: NDArray[np.bool_]) -> int:
    """ISO/IEC 18004's four penalty rules as qrcode scores them: runs of five or more alike
    (length - 2 each), 2x2 blocks alike (3 each), finder-like 1:1:3:1:1 patterns with four
    light modules on one side (40 each), and the dark share's distance from 50 % (10 per 5 %)."""
    import numpy as np
    from numpy.lib.stride_tricks import sliding_window_view

    size = len(modules)
    lines = np.concatenate([modules, modules.T]).astype(np.int8)
    # Runs of equal modules along every row and column: a separator column (2) ends each line.
    flat = np.concatenate([lines, np.full((len(lines), 1), 2, dtype=np.int8)], axis=1).ravel()
    starts = np.flatnonzero(np.concatenate([[True], flat[1:] != flat[:-1]]))
    lengths = np.diff(np.append(starts, len(flat)))
    runs = lengths[lengths >= 5]
    points = int((runs - 2).sum())

    top_left = modules[:-1, :-1]
    blocks = (top_left == modules[1:, :-1]) & (top_left == modules[:-1, 1:]) & (top_left == modules[1:, 1:])
    points += 3 * int(blocks.sum())

    windows = sliding_window_view(lines, 11, axis=1)
    points += 40 * int(((windows == _FINDER_BEFORE).all(axis=-1) | (windows == _FINDER_AFTER).all(axis=-1)).sum())

    percent = float(modules.sum()) / (size**2)
    points += int(abs(percent * 100 - 50) / 5) * 10
    return points


# dark:light:dark:light:dark 1:1:3:1:1 followed, or preceded, by four light modules.
_FINDER_BEFORE = (1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0)
_FINDER_AFTER = (0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1)


@cache
def _data_region(version: int) -> NDArray[np.bool_]:
    """Where a symbol of ``version`` holds its data: not a finder, timing, alignment,
    format or version module."""
    import numpy as np

    code = qrcode.QRCode(version=version, error_correction=ERROR_CORRECTION)
    code.add_data("")
    code.makeImpl(True, 0)  # fills qrcode's blank symbol of this version
    code.modules = qrcode.main.copy_2d_array(qrcode.main.precomputed_qr_blanks[version])
    code.setup_type_info(True, 0)
    if version >= 7:
        code.setup_type_number(True)
    return np.array([[module is None for module in row] for row in code.modules], dtype=bool)


@cache
def _mask_patterns(size: int) -> list[NDArray[np.bool_]]:
    """For each mask, where it flips a data module."""
    import numpy as np

    rows, columns = np.indices((size, size))
    return [np.vectorize(qrcode.util.mask_func(mask))(rows, columns).astype(bool) for mask in range(8)]


def qr_svg(data: str) -> str:
    """An ``<svg>`` element for embedding in HTML, one unit per module, quiet zone included;
    the template's stylesheet gives it its printed size."""
    modules = qr_matrix(data)
    size = len(modules)
    commands = []
    for y, row in enumerate(modules):
        x = 0
        while x < size:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < size and row[x]:
                x += 1
            commands.append(f"M{start} {y}.5h{x - start}")
    return (
        f'<svg viewBox="0 0 {size} {size}" xmlns="http://www.w3.org/2000/svg">'
        f'<path stroke="#000" stroke-width="1" d="{"".join(commands)}"/></svg>'
    )
