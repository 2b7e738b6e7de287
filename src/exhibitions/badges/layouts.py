"""Where things are on a badge and on a sheet, in millimetres: the text boxes the fitting
works in (the same numbers as templates/badges/<size>.css, which draws them) and the grid
of badges on an A4 sheet with its cut marks. Pure values and arithmetic."""

from __future__ import annotations

from dataclasses import dataclass

from exhibitions.badges.views import BadgeSize

POINTS_PER_MM = 72 / 25.4
A4 = (210.0, 297.0)
# Cut marks: hairlines this thick and long, this far from the badges when the sheet has a margin.
MARK_THICKNESS = 0.2
MARK_LENGTH = 5.0
MARK_OFFSET = 2.0
# A cut line this close to the paper's edge is no cut (A6's half millimetre above and below).
EDGE = 1.0


@dataclass(frozen=True)
class TextBox:
    """A text's box and the sizes it may take: the fitting picks the largest that fits."""

    width: float  # mm
    height: float  # mm
    max_size: float  # pt
    min_size: float  # pt
    line_height: float = 1.2
    bold: bool = True
    max_lines: int | None = None
    gap: float = 0.0  # em after each paragraph


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Layout:
    width: float  # the badge, mm
    height: float
    columns: int  # on an A4 sheet
    rows: int
    left: float  # the sheet's margin before the first column, mm
    top: float
    boxes: dict[str, TextBox]

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    def slot(self, index: int, *, back: bool = False) -> tuple[float, float]:
        """The top-left corner of the ``index``-th badge of a sheet. On the back page the
        columns are mirrored, so that a duplex printer flipping on the long edge puts each
        badge's back behind its front."""
        row, column = divmod(index, self.columns)
        if back:
            column = self.columns - 1 - column
        return (round(self.left + column * self.width, 3), round(self.top + row * self.height, 3))

    def cut_marks(self) -> list[Mark]:
        """A hairline on each cut line, outside the badges where the margin allows it, else
        at the sheet's edge over the badge's border (A6 fills the A4 sheet)."""
        page_width, page_height = A4
        xs = [self.left + column * self.width for column in range(self.columns + 1)]
        ys = [self.top + row * self.height for row in range(self.rows + 1)]
        bottom = ys[-1]
        right = xs[-1]
        marks: list[Mark] = []
        half = MARK_THICKNESS / 2
        for x in xs:
            if not EDGE < x < page_width - EDGE:
                continue
            top_end = self.top - MARK_OFFSET if self.top >= MARK_LENGTH + MARK_OFFSET else MARK_LENGTH
            bottom_start = (
                bottom + MARK_OFFSET if page_height - bottom >= MARK_LENGTH + MARK_OFFSET else page_height - MARK_LENGTH
            )
            marks.append(Mark(x - half, max(top_end - MARK_LENGTH, 0.0), MARK_THICKNESS, MARK_LENGTH))
            marks.append(Mark(x - half, bottom_start, MARK_THICKNESS, min(MARK_LENGTH, page_height - bottom_start)))
        for y in ys:
            if not EDGE < y < page_height - EDGE:
                continue
            left_end = self.left - MARK_OFFSET if self.left >= MARK_LENGTH + MARK_OFFSET else MARK_LENGTH
            right_start = (
                right + MARK_OFFSET if page_width - right >= MARK_LENGTH + MARK_OFFSET else page_width - MARK_LENGTH
            )
            marks.append(Mark(max(left_end - MARK_LENGTH, 0.0), y - half, MARK_LENGTH, MARK_THICKNESS))
            marks.append(Mark(right_start, y - half, min(MARK_LENGTH, page_width - right_start), MARK_THICKNESS))
        return [Mark(round(m.x, 3), round(m.y, 3), round(m.width, 3), round(m.height, 3)) for m in marks]


LAYOUTS: dict[BadgeSize, Layout] = {
    # 2 x 2 A6 fill the A4 sheet (1 mm left over, split above and below).
    "a6": Layout(
        width=105.0,
        height=148.0,
        columns=2,
        rows=2,
        left=0.0,
        top=0.5,
        boxes={
            "event": TextBox(93, 17, max_size=10, min_size=5, line_height=1.25),
            "name": TextBox(93, 32, max_size=28, min_size=7),
            "title": TextBox(93, 10, max_size=11, min_size=5, bold=False),
            "organization": TextBox(93, 11, max_size=12, min_size=5),
            "back": TextBox(89, 114, max_size=10, min_size=4.5, line_height=1.35, bold=False, gap=0.35),
        },
    ),
    # 2 x 5 labels of 90 x 55 mm, centred: 15 mm margins at the sides, 11 mm above and below.
    "label": Layout(
        width=90.0,
        height=55.0,
        columns=2,
        rows=5,
        left=15.0,
        top=11.0,
        boxes={
            "event": TextBox(82, 5, max_size=7, min_size=3.5, line_height=1.2, bold=False),
            "name": TextBox(57, 19, max_size=18, min_size=5),
            "title": TextBox(57, 7, max_size=9, min_size=4, bold=False),
            "organization": TextBox(57, 8, max_size=9, min_size=4),
            "back": TextBox(80, 41, max_size=8, min_size=3.5, line_height=1.35, bold=False, gap=0.35),
        },
    ),
}
