"""Who is acting: the plain value every service and permission predicate receives."""

from __future__ import annotations

from dataclasses import dataclass, field

from exhibitions.accounts.tables import RoleName


@dataclass(frozen=True)
class Actor:
    user_id: int
    email: str
    display_name: str = ""
    preferred_language: str = "fr"
    # (exhibition id or None for every exhibition, role name)
    roles: frozenset[tuple[int | None, str]] = field(default_factory=frozenset)
    token_id: int | None = None
    token_kind: str | None = None
    # Set for a scanner device: the one exhibition it checks visitors in at.
    device_exhibition_id: int | None = None

    def has_role(self, role: RoleName, exhibition_id: int | None = None) -> bool:
        """True for a grant on this exhibition, or on every exhibition."""
        return (None, role.value) in self.roles or (
            exhibition_id is not None and (exhibition_id, role.value) in self.roles
        )

    def has_role_anywhere(self, role: RoleName) -> bool:
        return any(granted == role.value for _, granted in self.roles)

    @property
    def label(self) -> str:
        return self.display_name or self.email
