"""A generated hall for the plan's tests and benchmark (bench/plan_svg.py): blocks of
3 m × 3 m stands between 4 m aisles, with exhibitors whose names test the renderer (both
scripts, long names, markup characters), plain data, no database."""

from __future__ import annotations

import math
import random

from exhibitions.stands.plan import PlanExhibitor, PlanHall, PlanStand, StandStatus

STAND_SIZE = 3.0
AISLE = 4.0
STANDS_PER_BLOCK_ROW = 10  # a block is two back-to-back rows of ten stands
SECTORS = ("agriculture", "handicrafts", "fishing", "argan", "food_processing", "textile", "services", "other")
REGIONS = ("MA-01", "MA-02", "MA-03", "MA-04", "MA-05", "MA-06", "MA-07", "MA-08", "MA-09", "MA-10", "MA-11", "MA-12")
NAMES: tuple[tuple[str, str], ...] = (
    ("تعاونية أركان الخير", "Coopérative Argane Al Khair"),
    ("تعاونية تيفاوين للنسيج", "Coopérative Tifawine"),
    (
        "جمعية نساء الأطلس للصناعة التقليدية والتنمية المستدامة بإقليم أزيلال",
        "Association des femmes de l'Atlas pour l'artisanat et le développement durable de la province d'Azilal",
    ),
    ("تعاونية الصيادين <البحر> & الأمل", 'Pêcheurs <Al Bahr> & "Al Amal"'),
    ("تعاونية زيت الزيتون Bio", "Huilerie Zitoun Bio"),
    ("جمعية إيمان", "Association Imane"),
    ("تعاضدية الخدمات", "Mutuelle des services"),
    ("تعاونية مستشفى الأعشاب", "Herboristerie Al Moustachfa"),
)  # fmt: skip


def _exhibitor(number: int) -> PlanExhibitor:
    name_ar, name_latin = NAMES[number % len(NAMES)]
    suffix = "" if number < len(NAMES) else f" {number}"
    return PlanExhibitor(
        id=number + 1,
        name_ar=name_ar + suffix,
        name_latin=name_latin + suffix,
        sector=SECTORS[number % len(SECTORS)],
        region=REGIONS[number % len(REGIONS)],
    )


def sample_plan(stand_count: int = 40, *, seed: int = 5, hall_id: int = 1) -> tuple[PlanHall, list[PlanStand]]:
    """A hall just large enough for ``stand_count`` stands; most are taken, some free, and a
    few of each workflow status so the diff colours show."""
    generator = random.Random(seed)
    block_width = STANDS_PER_BLOCK_ROW * STAND_SIZE
    blocks = math.ceil(stand_count / (2 * STANDS_PER_BLOCK_ROW))
    # Roughly square: blocks are wider than deep, so fewer across than down.
    blocks_across = max(1, round(math.sqrt(blocks * (2 * STAND_SIZE + AISLE) / (block_width + AISLE))))
    block_rows = math.ceil(stand_count / (2 * STANDS_PER_BLOCK_ROW * blocks_across))
    hall = PlanHall(
        id=hall_id,
        name="Hall A (sample)",
        width_m=AISLE + blocks_across * (block_width + AISLE),
        depth_m=AISLE + block_rows * (2 * STAND_SIZE + AISLE),
    )
    statuses: tuple[StandStatus, ...] = ("assigned", "assigned", "assigned", "locked", "proposed", "moved", "free")
    stands = []
    for index in range(stand_count):
        block, place = divmod(index, 2 * STANDS_PER_BLOCK_ROW)
        block_row, block_column = divmod(block, blocks_across)
        back, column = divmod(place, STANDS_PER_BLOCK_ROW)
        status = statuses[generator.randrange(len(statuses))] if index >= 3 else "assigned"
        exhibitors: tuple[PlanExhibitor, ...] = ()
        if status != "free":
            exhibitors = (_exhibitor(index),)
            if index % 11 == 7:  # some regional fairs seat two cooperatives per stand
                exhibitors += (_exhibitor(index + 1000),)
        stands.append(
            PlanStand(
                code=f"{chr(ord('A') + block_row % 26)}-{block_column * 2 * STANDS_PER_BLOCK_ROW + place + 1}",
                x=AISLE + block_column * (block_width + AISLE) + column * STAND_SIZE,
                y=AISLE + block_row * (2 * STAND_SIZE + AISLE) + back * STAND_SIZE,
                width=STAND_SIZE,
                depth=STAND_SIZE,
                type="corner" if column in (0, STANDS_PER_BLOCK_ROW - 1) else "standard",
                zone=SECTORS[block % len(SECTORS)],
                status=status,
                exhibitors=exhibitors,
            )
        )
    return hall, stands
