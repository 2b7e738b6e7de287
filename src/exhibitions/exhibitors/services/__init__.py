"""Exhibitors: organizations and their applications. The one way in."""

from exhibitions.exhibitors.services._applications import (
    create_application,
    decide_application,
    get_application,
    list_applications,
    move_application,
    update_application,
)
from exhibitions.exhibitors.services._organizations import (
    create_organization,
    get_organization,
    list_organizations,
    update_organization,
)
from exhibitions.exhibitors.services._portal import (
    SORTS,
    ApplicationView,
    DecisionFailure,
    application_view,
    count_by_status,
    decide_many,
    list_exhibition_applications,
    list_member_organizations,
    list_my_applications,
    open_exhibitions,
)

__all__ = [
    "SORTS",
    "ApplicationView",
    "DecisionFailure",
    "application_view",
    "count_by_status",
    "create_application",
    "create_organization",
    "decide_application",
    "decide_many",
    "get_application",
    "get_organization",
    "list_applications",
    "list_exhibition_applications",
    "list_member_organizations",
    "list_my_applications",
    "list_organizations",
    "move_application",
    "open_exhibitions",
    "update_application",
    "update_organization",
]
