"""Policy as one decorator per view: ``@policy(Policy.X)`` says who may call it and enforces
it with the rules of ``services/permissions``. Every endpoint declares one (a test walks the
URL map and fails on a view without); the named decorators below are its common cases."""

from __future__ import annotations

from functools import wraps

from flask import abort, current_app, g, request
from flask_login import current_user, login_required

from ..database import reads_without_transaction
from ..services import oogst, permissions, programmes
from ..services.permissions import Policy
from ..services.werkplaatsen import get_werkplaats

# Endpoints that Flask itself adds, with the policy they follow.
FRAMEWORK_POLICIES = {"static": Policy.PUBLIC}


def policy_of(view) -> Policy | None:
    return getattr(view, "policy", None)


def _declare(wrapper, name: Policy):
    wrapper.policy = name
    return wrapper


def _allowed_if(check):
    """Log in first (anonymous: to the login page), then 403 unless ``check(**kwargs)``."""

    def decorate(view):
        @wraps(view)
        @login_required
        def wrapper(**kwargs):
            if not check(**kwargs):
                abort(403)
            return view(**kwargs)

        return wrapper

    return decorate


def _werkplaats(control: bool):
    def check(wid: int, **_kwargs) -> bool:
        werkplaats = get_werkplaats(wid)
        g.werkplaats = werkplaats
        g.can_control = permissions.can_control(current_user, werkplaats)
        return g.can_control or (not control and permissions.can_view(current_user, werkplaats))

    return _allowed_if(check)


def _programme(manage: bool):
    def check(pid: int, **_kwargs) -> bool:
        programme = programmes.get_programme(pid)
        g.programme = programme
        g.can_manage_programme = permissions.can_manage_programme(current_user, programme)
        return g.can_manage_programme or (
            not manage and permissions.can_read_programme(current_user, programme)
        )

    return _allowed_if(check)


def _agenda(view):
    """A calendar subscribes without the login cookie: the token in the URL lets it in."""

    @wraps(view)
    def wrapper(pid: int, **kwargs):
        programme = programmes.get_programme(pid)
        secret = current_app.config["SECRET_KEY"]
        token_ok = oogst.agenda_token_ok(secret, pid, request.args.get("token", ""))
        if not (token_ok or permissions.can_read_programme(current_user, programme)):
            abort(403)
        g.programme = programme
        return view(pid=pid, **kwargs)

    return wrapper


def _marker(view):
    return view


_ENFORCE = {
    Policy.PUBLIC: _marker,
    # The token is the key: an unknown one is a 404 (services/bouwsteen.by_share_token).
    Policy.SHARED: _marker,
    # The phone's session is the key: participant.participant_required, on permissions'
    # is_participant, sends any other phone to the welcome page.
    Policy.PARTICIPANT: _marker,
    Policy.ACCOUNT: login_required,
    Policy.SCHEDULER: _allowed_if(lambda **_kw: permissions.can_schedule(current_user)),
    Policy.BEHEERDER: _allowed_if(lambda **_kw: permissions.is_beheerder(current_user)),
    Policy.WERKPLAATS_VIEW: _werkplaats(control=False),
    Policy.WERKPLAATS_CONTROL: _werkplaats(control=True),
    Policy.PROGRAMME_READ: _programme(manage=False),
    Policy.PROGRAMME_MANAGE: _programme(manage=True),
    Policy.AGENDA: _agenda,
}


def policy(name: Policy):
    """Declare who may call the view and enforce it. Loads ``g.werkplaats`` (and
    ``g.can_control``) for the werkplaats policies, ``g.programme`` (and
    ``g.can_manage_programme``) for the programme ones."""

    def decorate(view):
        declared = policy_of(view)
        if declared is not None and declared != name:
            raise TypeError(f"{view.__name__} declares {declared} and {name}")
        return _declare(_ENFORCE[name](view), name)

    return decorate


def reads_alone(view):
    """A screen's hot read path (the wall's fetch, its held wait): on PostgreSQL its reads,
    the log-in check first, run each on its own, without a transaction
    (``database.reads_without_transaction``). That saves the BEGIN and the ROLLBACK around
    them, and psycopg's ROLLBACK also drops every statement the pooled connection had
    prepared (DEALLOCATE ALL), for the phones' requests that take it next. For views that
    write nothing; a write would still take ``write_transaction``. Goes above the policy."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        reads_without_transaction()
        return view(*args, **kwargs)

    return wrapper


def scheduler_required(view):
    """Beheerders and facilitators: create programmes."""
    return policy(Policy.SCHEDULER)(view)


def werkplaats_access(*, control: bool):
    """Load ``wid`` into ``g.werkplaats``; 403 unless the user may view (or control) it."""
    return policy(Policy.WERKPLAATS_CONTROL if control else Policy.WERKPLAATS_VIEW)


def programme_access(*, manage: bool):
    """Load ``pid`` into ``g.programme``; 403 unless the user may read (or manage) it."""
    return policy(Policy.PROGRAMME_MANAGE if manage else Policy.PROGRAMME_READ)



def beheerder_required(view):
    """Beheerders only: accounts and the audit log."""
    return policy(Policy.BEHEERDER)(view)
