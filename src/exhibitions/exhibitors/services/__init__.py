"""Exhibitors: organizations and their applications. The one way in."""

from exhibitions.exhibitors.services._applications import (
    create_application,
    decide_application,
    get_application,
    list_applications,
    move_application,
    update_application,
)
from exhibitions.exhibitors.services._directory import (
    DirectoryFilters,
    ListedOrganization,
    exhibitor_photo,
    get_exhibitor,
    list_exhibitors,
    public_exhibitions,
)
from exhibitions.exhibitors.services._organizations import (
    create_organization,
    get_organization,
    list_organizations,
    update_organization,
)
from exhibitions.exhibitors.services._products import (
    MAX_PRODUCTS,
    PhotoFile,
    create_product,
    delete_product,
    delete_product_photo,
    get_product,
    get_product_photo,
    list_products,
    set_product_photo,
    update_product,
)

__all__ = [
    "MAX_PRODUCTS",
    "DirectoryFilters",
    "ListedOrganization",
    "PhotoFile",
    "create_application",
    "create_organization",
    "create_product",
    "decide_application",
    "delete_product",
    "delete_product_photo",
    "exhibitor_photo",
    "get_application",
    "get_exhibitor",
    "get_organization",
    "get_product",
    "get_product_photo",
    "list_applications",
    "list_exhibitors",
    "list_organizations",
    "list_products",
    "move_application",
    "public_exhibitions",
    "set_product_photo",
    "update_application",
    "update_organization",
    "update_product",
]
