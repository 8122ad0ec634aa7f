"""Policy as named decorators, so a view says who may call it in one line."""

from __future__ import annotations

from functools import wraps

from flask import abort, g
from flask_login import current_user, login_required

from ..services import permissions
from ..services.werkplaatsen import get_werkplaats


def scheduler_required(view):
    """Beheerders and facilitators: create programmes and werkplaatsen."""

    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if not permissions.can_schedule(current_user):
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def werkplaats_access(*, control: bool):
    """Load ``wid`` into ``g.werkplaats``; 403 unless the user may view (or control) it."""

    def decorate(view):
        @wraps(view)
        @login_required
        def wrapper(wid: int, **kwargs):
            werkplaats = get_werkplaats(wid)
            can_control = permissions.can_control(current_user, werkplaats)
            if not (can_control if control else permissions.can_view(current_user, werkplaats)):
                abort(403)
            g.werkplaats = werkplaats
            g.can_control = can_control
            return view(wid=wid, **kwargs)

        return wrapper

    return decorate


def beheerder_required(view):
    """Beheerders only: the audit log and what else is about all accounts."""

    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if not current_user.is_beheerder:
            abort(403)
        return view(*args, **kwargs)

    return wrapper
