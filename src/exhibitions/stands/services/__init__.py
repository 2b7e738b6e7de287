"""Stands: halls' plans, stands and their assignments. The one way in."""

from exhibitions.stands.services._assignments import (
    Placement,
    apply_placements,
    assign_stand,
    assignable_applications,
    free_stands_of,
    hall_stands,
    publish_assignments,
    set_locked,
    stand_of_application,
    unassign,
)
from exhibitions.stands.services._halls import list_halls, set_hall_plan
from exhibitions.stands.services._stands import (
    CSV_HEADERS,
    create_stand,
    delete_stand,
    export_stands,
    generate_stands,
    get_stand,
    import_stands,
    list_stands,
    metres_text,
    update_stand,
)

__all__ = [
    "CSV_HEADERS",
    "Placement",
    "apply_placements",
    "assign_stand",
    "assignable_applications",
    "create_stand",
    "delete_stand",
    "export_stands",
    "free_stands_of",
    "generate_stands",
    "get_stand",
    "hall_stands",
    "import_stands",
    "list_halls",
    "list_stands",
    "metres_text",
    "publish_assignments",
    "set_hall_plan",
    "set_locked",
    "stand_of_application",
    "unassign",
    "update_stand",
]
