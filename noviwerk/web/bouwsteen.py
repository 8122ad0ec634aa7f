"""The trekker's page: the draft bouwsteen, its edits and versions, status, sharing, exports."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    get_flashed_messages,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ..display import shown
from ..domain import AuditAction, BouwsteenStatus
from ..export.bouwsteen import common as document_helpers
from ..extensions import limiter
from ..forms import FlagForm, SectionForm
from ..services import bouwsteen as svc
from ..services import export_jobs, moderation, woo
from ..services.errors import Invalid
from ..services.permissions import Policy
from ..synthesis import editing
from ..synthesis.document import BIJLAGE
from .decorators import policy, werkplaats_access
from .files import recorded_download
from .htmx import redirect_after_post

bp = Blueprint("bouwsteen", __name__)
PREFIX = "/f/werkplaatsen/<int:wid>/bouwsteen"


def export_options() -> export_jobs.Settings:
    """Where this app prints and keeps the heavy formats (PDF, docx)."""
    return export_jobs.settings()


def print_ahead() -> export_jobs.Settings | None:
    """What a save hands to the services: where to print its PDF and docx ahead, or None
    where this app does not print ahead (NOVIWERK_EXPORT_PRERENDER off)."""
    options = export_options()
    return options if options.prerender else None


def _page(bouwsteen, **extra):
    current = bouwsteen.current
    editable = bouwsteen.status != BouwsteenStatus.GEREED
    if editable and "shaping" not in extra:
        extra["shaping"] = bouwsteen_draden.shaping(bouwsteen)
    document = svc.export_document(bouwsteen)  # as it stands: concept, verslag or gereed
    conflicts = (
        svc.pending_conflicts(bouwsteen) if bouwsteen.status != BouwsteenStatus.GEREED else []
    )
    return render_template(
        "bouwsteen/bouwsteen.html",
        werkplaats=g.werkplaats,
        bouwsteen=bouwsteen,
        version=current,
        document=document,
        origins=editing.origins(document),
        new_input=svc.new_input_count(bouwsteen),
        conflicts=conflicts,
        new_numbers=_new_numbers(document, conflicts),
        transitions=svc.TRANSITIONS[bouwsteen.status],
        editable=editable,
        open_flags=[f for f in bouwsteen.flags if not f.is_resolved],
        pending=len(moderation.inbox(g.werkplaats)),
        doc=document_helpers,
        notice=_notice(),
        **extra,
    )


def _new_numbers(document, conflicts) -> dict[str, list[int]]:
    """Per conflict, the bijlage numbers of its new input, so the trekker can read it first.

    Input that arrived after this version is not in its bijlage yet: it has no number.
    """
    number = {cid: n for n, cid in editing.number_to_id(document).items()}
    return {c.section_id: sorted(number[i] for i in c.new_ids if i in number) for c in conflicts}


@bp.get(PREFIX)
@werkplaats_access(control=False)
def view(wid: int):
    bouwsteen = svc.find(g.werkplaats)
    if bouwsteen is None:  # looking never writes: the draft is made by the button
        return render_template(
            "bouwsteen/new.html",
            werkplaats=g.werkplaats,
            pending=len(moderation.inbox(g.werkplaats)),
        )
    return _page(bouwsteen)


@bp.post(PREFIX + "/maken")
@werkplaats_access(control=False)
def make(wid: int):
    made = svc.find(g.werkplaats) is None
    svc.open_draft(g.werkplaats, current_user, print_ahead=print_ahead())
    if made:
        flash(_("De conceptbouwsteen is gemaakt (versie 1)."), "success")
    return _back()


def _bouwsteen():
    bouwsteen = svc.find(g.werkplaats)
    if bouwsteen is None:
        abort(404)
    return bouwsteen


def _back(anchor: str = ""):
    return redirect_after_post(url_for(".view", wid=g.werkplaats.id) + anchor)


AT = "at:"  # a flash category: shown inside the section or card it names, not at the top


def _confirm_at(place: str, message: str, path: str | None = None) -> None:
    """Say ``message`` inside ``place`` (a section or card id) of the page at ``path``
    (default: this bouwsteen), where the redirect lands.

    A flash at the top of the page is out of sight once the browser scrolls to the anchor,
    so a save far down the document would look as if nothing happened. base.html leaves
    ``at:`` flashes to the page they name; any other page drops them.
    """
    path = path or url_for(".view", wid=g.werkplaats.id)
    flash(message, f"{AT}{path}#{place}")


def _notice() -> dict | None:
    """The confirmation this page shows inside one of its sections or cards, if any."""
    for category, text in get_flashed_messages(with_categories=True):
        path, _hash, place = category.removeprefix(AT).partition("#")
        if category.startswith(AT) and path == request.path:
            return {"at": place, "text": text}
    return None


@bp.post(PREFIX + "/bijwerken")
@werkplaats_access(control=False)
def regenerate(wid: int):
    result = svc.regenerate(_bouwsteen(), current_user, print_ahead=print_ahead())
    if result.version is None:
        flash(_("De bouwsteen was al bij; er is niets veranderd."), "info")
    else:
        flash(
            _("Bijgewerkt met de nieuwe inbreng (versie %(n)d).", n=result.version.number),
            "success",
        )
    for conflict in result.conflicts:
        flash(
            _(
                "Nieuwe inbreng bij '%(t)s', dat je met de hand schreef. Je tekst is bewaard; "
                "kies zelf of je de nieuwe machinetekst wilt gebruiken.",
                t=conflict.title,
            ),
            "info",
        )
    return _back()


@bp.route(PREFIX + "/secties/<section_id>", methods=["GET", "POST"])
@werkplaats_access(control=False)
def edit_section(wid: int, section_id: str):
    bouwsteen = _bouwsteen()
    document = svc.document_of(bouwsteen.current)
    section = document.section(section_id)
    if section is None or section_id == BIJLAGE:
        abort(404)
    if request.method == "GET" and bouwsteen.status == BouwsteenStatus.GEREED:
        # An old tab or bookmark: say why there is no editor rather than offer a doomed one.
        # (A refused POST keeps its form, so typed text can still be copied.)
        flash(_("Deze bouwsteen is gereed en alleen te lezen. Heropen hem om te bewerken."), "info")
        return _back()
    form = SectionForm()
    if request.method == "GET":
        form.text.data = editing.section_to_text(section)
    elif form.validate_on_submit():
        try:
            svc.edit_section(
                bouwsteen, section_id, form.text.data or "", current_user, print_ahead=print_ahead()
            )
        except Invalid as e:
            form.text.errors = [e.message]
        else:
            _confirm_at(section_id, _("'%(t)s' opgeslagen als nieuwe versie.", t=section.title))
            return _back("#" + section_id)
    return render_template(
        "bouwsteen/section_form.html",
        werkplaats=g.werkplaats,
        bouwsteen=bouwsteen,
        section=section,
        form=form,
        document=document,
    ), (422 if form.text.errors else 200)


@bp.post(PREFIX + "/secties/<section_id>/machinetekst")
@werkplaats_access(control=False)
def machine_text(wid: int, section_id: str):
    svc.use_machine_text(_bouwsteen(), section_id, current_user, print_ahead=print_ahead())
    _confirm_at(
        section_id, _("De machinetekst staat terug; je eigen tekst zit in de vorige versie.")
    )
    return _back("#" + section_id)


@bp.post(PREFIX + "/secties/<section_id>/eigen-tekst")
@werkplaats_access(control=False)
def keep_text(wid: int, section_id: str):
    svc.keep_hand_text(_bouwsteen(), section_id, current_user, print_ahead=print_ahead())
    _confirm_at(section_id, _("Je eigen tekst blijft staan."))
    return _back("#" + section_id)


@bp.post(PREFIX + "/status")
@werkplaats_access(control=False)
def status(wid: int):
    to = request.form.get("to", "")
    bouwsteen = svc.set_status(_bouwsteen(), to, current_user, print_ahead=print_ahead())
    flash(_("Status: %(s)s.", s=shown(bouwsteen.status)), "success")
    return _back()


@bp.post(PREFIX + "/delen")
@werkplaats_access(control=False)
def share(wid: int):
    on = request.form.get("aan") == "1"
    svc.share(_bouwsteen(), on)
    _confirm_at(
        "delen",
        _("Leeslink gemaakt. Deelnemers kunnen secties markeren met 'herken ik niet'.")
        if on
        else _("De leeslink werkt niet meer."),
    )
    return _back("#delen")


@bp.post(PREFIX + "/reacties/<int:flag_id>/afgehandeld")
@werkplaats_access(control=False)
def resolve_flag(wid: int, flag_id: int):
    svc.resolve_flag(_bouwsteen(), flag_id)
    return _back("#reacties")


@bp.get(PREFIX + "/versies")
@werkplaats_access(control=False)
def versions(wid: int):
    return render_template(
        "bouwsteen/versions.html", werkplaats=g.werkplaats, bouwsteen=_bouwsteen()
    )


@bp.get(PREFIX + "/versies/<int:number>")
@werkplaats_access(control=False)
def version(wid: int, number: int):
    from ..export.bouwsteen import markdown as bouwsteen_markdown

    bouwsteen = _bouwsteen()
    version = svc.get_version(bouwsteen, number)
    previous = next((v for v in bouwsteen.versions if v.number == number - 1), None)
    new_lines = bouwsteen_markdown.render(svc.document_of(version)).splitlines()
    old_lines = (
        bouwsteen_markdown.render(svc.document_of(previous)).splitlines() if previous else []
    )
    return render_template(
        "bouwsteen/version.html",
        werkplaats=g.werkplaats,
        bouwsteen=bouwsteen,
        version=version,
        previous=previous,
        diff=editing.diff_lines(old_lines, new_lines),
    )


@bp.post(PREFIX + "/versies/<int:number>/terugzetten")
@werkplaats_access(control=False)
def restore(wid: int, number: int):
    version = svc.restore_version(_bouwsteen(), number, current_user, print_ahead=print_ahead())
    flash(
        _("Versie %(old)d teruggezet als versie %(new)d.", old=number, new=version.number),
        "success",
    )
    return _back()


@bp.get(PREFIX + ".<any(md, docx, pdf, json, csv):fmt>")
@werkplaats_access(control=False)
def download(wid: int, fmt: str):
    bouwsteen = _bouwsteen()
    number = request.args.get("versie", type=int)
    version = svc.get_version(bouwsteen, number) if number else None
    body = svc.export(bouwsteen, fmt, version, options=export_options())
    return recorded_download(AuditAction.BOUWSTEEN_DOWNLOAD, g.werkplaats, *body)


@bp.get(PREFIX + "-woo.<any(pdf, docx, md):fmt>")
@werkplaats_access(control=False)
def download_woo(wid: int, fmt: str):
    """The Woo-versie: the same export with the names of people replaced by [naam]."""
    bouwsteen = _bouwsteen()
    number = request.args.get("versie", type=int)
    version = svc.get_version(bouwsteen, number) if number else None
    body = woo.export(bouwsteen, fmt, version, options=export_options())
    return recorded_download(AuditAction.BOUWSTEEN_DOWNLOAD, g.werkplaats, *body)


# --- the read-only link for participants -------------------------------------------------


@bp.route("/b/<token>", methods=["GET", "POST"])
@policy(Policy.SHARED)
@limiter.limit("20/hour", methods=["POST"])
def shared(token: str):
    bouwsteen = svc.by_share_token(token)
    document = svc.export_document(bouwsteen)
    form = FlagForm()
    sections = [SelectChoice(s.id, s.title) for s in document.sections if s.id != BIJLAGE]
    form.section_id.choices = sections
    if request.method == "POST" and form.validate_on_submit():
        try:
            svc.flag_section(bouwsteen, form.section_id.data, form.comment.data or "")
        except Invalid as e:
            form.comment.errors = [e.message]
        else:
            _confirm_at(
                form.section_id.data,
                _("Dank je wel. De trekker ziet je reactie bij deze sectie."),
                path=url_for(".shared", token=token),
            )
            return redirect_after_post(url_for(".shared", token=token) + "#" + form.section_id.data)
    return render_template(
        "bouwsteen/shared.html",
        bouwsteen=bouwsteen,
        document=document,
        origins=editing.origins(document),
        form=form,
        token=token,
        doc=document_helpers,
        staff_styles=True,  # an anonymous reader, with the bouwsteen's styles
        notice=_notice(),
    ), (422 if request.method == "POST" else 200)


# The rode draden's forms live beside this module and register their views on ``bp``.
from . import bouwsteen_draden  # noqa: E402
