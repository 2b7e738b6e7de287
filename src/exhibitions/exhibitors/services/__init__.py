"""Exhibitors: organizations and their applications. The one way in."""

from exhibitions.exhibitors.services._applications import (
    create_application,
    decide_application,
    get_application,
    list_applications,
    move_application,
    update_application,
)
from exhibitions.exhibitors.services._export import (
    Export,
    ExportFormat,
    export_applications,
    export_organizations,
)
from exhibitions.exhibitors.services._import import (
    COMMAND_LINE,
    BadRow,
    ImportReport,
    PreviewRow,
    import_held_upload,
    import_organizations,
    preview_upload,
)
from exhibitions.exhibitors.services._organizations import (
    create_organization,
    get_organization,
    list_organizations,
    update_organization,
)

__all__ = [
    "COMMAND_LINE",
    "BadRow",
    "Export",
    "ExportFormat",
    "ImportReport",
    "PreviewRow",
    "create_application",
    "create_organization",
    "decide_application",
    "export_applications",
    "export_organizations",
    "get_application",
    "get_organization",
    "import_held_upload",
    "import_organizations",
    "list_applications",
    "list_organizations",
    "move_application",
    "preview_upload",
    "update_application",
    "update_organization",
]
