"""Who may do what with a werkplaats. Checked in services and in view decorators alike."""

from __future__ import annotations

from ..domain import Role, StaffRole
from ..models import User, Werkplaats


def is_staff(user: User, werkplaats: Werkplaats, *roles: StaffRole) -> bool:
    roles = roles or tuple(StaffRole)
    return any(s.user_id == user.id and s.role in roles for s in werkplaats.staff)


def can_control(user: User | None, werkplaats: Werkplaats) -> bool:
    """Run the room: rounds, opening, the wall. Beheerders and the werkplaats' facilitators."""
    if user is None or not user.is_authenticated:
        return False
    return user.role == Role.BEHEERDER or is_staff(user, werkplaats, StaffRole.FACILITATOR)


def can_view(user: User | None, werkplaats: Werkplaats) -> bool:
    """See the werkplaats, its contributions and its bouwsteen: also its trekkers."""
    if user is None or not user.is_authenticated:
        return False
    return can_control(user, werkplaats) or is_staff(user, werkplaats, StaffRole.TREKKER)


def can_schedule(user: User | None) -> bool:
    """Create programmes and werkplaatsen."""
    return bool(user and user.is_authenticated and user.role in (Role.BEHEERDER, Role.FACILITATOR))
