"""The badges' QR symbols: chosen as ``qrcode`` would choose them, in a quarter of the time,
and drawn as inline SVG in as few path commands as possible.

Two costs dominated a sheet of a thousand badges (docs/benchmarks.md, "Badges"):

- ``qrcode`` picks the mask by building the symbol eight times and scoring each in pure
  Python (about 12 ms a symbol). The eight candidates differ only in the data modules, by
  the masks' own patterns, so here the symbol is built once (mask 0, in qrcode's "test"
  mode), the seven others are derived with numpy and scored together by the same four
  penalty rules; the winner only needs its format bits. The result is the same symbol
  qrcode makes (tests/badges/test_qr.py compares them).
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
    import numpy as np

    code = qrcode.QRCode(error_correction=ERROR_CORRECTION, border=BORDER)
    code.add_data(data)
    code.best_fit()
    code.makeImpl(True, 0)
    candidates = _candidates(np.array(code.modules, dtype=bool), code.version)
    mask = int(np.argmin(penalties(candidates)))
    # The winner's modules are known already: only its format bits are left to write.
    code.modules = candidates[mask].tolist()
    code.setup_type_info(False, mask)
    if code.version >= 7:
        code.setup_type_number(False)
    matrix: list[list[bool]] = code.get_matrix()
    return matrix


def _candidates(test_modules: NDArray[np.bool_], version: int) -> NDArray[np.bool_]:
    """The symbol under each of the eight masks, from the symbol built with mask 0 in
    qrcode's test mode (format and version bits all light, as qrcode scores them)."""
    data = _data_region(version)
    patterns = _mask_patterns(len(test_modules))
    result: NDArray[np.bool_] = test_modules[None, :, :] ^ (data[None, :, :] & (patterns[0][None, :, :] ^ patterns))
    return result


def best_mask(test_modules: list[list[bool | None]], version: int) -> int:
    """The mask with the fewest penalty points (the first of equals)."""
    import numpy as np

    return int(np.argmin(penalties(_candidates(np.array(test_modules, dtype=bool), version))))


def penalty(modules: NDArray[np.bool_]) -> int:
    """ISO/IEC 18004's four penalty rules as qrcode scores them: runs of five or more alike
    (length - 2 each), 2x2 blocks alike (3 each), finder-like 1:1:3:1:1 patterns with four
    light modules on one side (40 each), and the dark share's distance from 50 % (10 per 5 %)."""
    return int(penalties(modules[None, :, :])[0])


def penalties(symbols: NDArray[np.bool_]) -> NDArray[np.int64]:
    """``penalty`` of each of a stack of symbols, all at once (fewer numpy calls)."""
    import numpy as np
    from numpy.lib.stride_tricks import sliding_window_view

    count, size, _ = symbols.shape
    lines = np.concatenate([symbols, symbols.transpose(0, 2, 1)], axis=1).astype(np.int8)
    # Runs of equal modules along every row and column: a separator column (2) ends each line.
    separated = np.concatenate([lines, np.full((count, 2 * size, 1), 2, dtype=np.int8)], axis=2)
    flat = separated.ravel()
    starts = np.flatnonzero(np.concatenate([[True], flat[1:] != flat[:-1]]))
    lengths = np.diff(np.append(starts, len(flat)))
    long = lengths >= 5
    owner = starts[long] // separated[0].size
    points = np.bincount(owner, weights=lengths[long] - 2, minlength=count).astype(np.int64)

    top_left = symbols[:, :-1, :-1]
    blocks = (top_left == symbols[:, 1:, :-1]) & (top_left == symbols[:, :-1, 1:]) & (top_left == symbols[:, 1:, 1:])
    points += 3 * blocks.sum(axis=(1, 2))

    windows = sliding_window_view(lines, 11, axis=2)
    finders = (windows == _FINDER_BEFORE).all(axis=-1) | (windows == _FINDER_AFTER).all(axis=-1)
    points += 40 * finders.sum(axis=(1, 2))

    percent = symbols.sum(axis=(1, 2)).astype(np.float64) / (size**2)
    points += (np.abs(percent * 100 - 50) / 5).astype(np.int64) * 10
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
def _mask_patterns(size: int) -> NDArray[np.bool_]:
    """For each mask, where it flips a data module: shape (8, size, size)."""
    import numpy as np

    rows, columns = np.indices((size, size))
    return np.stack([np.vectorize(qrcode.util.mask_func(mask))(rows, columns).astype(bool) for mask in range(8)])


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
