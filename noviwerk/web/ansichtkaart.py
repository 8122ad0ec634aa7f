"""The ansichtkaart: make it from the bouwsteen, edit it on a live preview, versions,
downloads; and the programme team's gallery of all ansichtkaarten."""

from __future__ import annotations

import base64

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    make_response,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ..display import shown
from ..domain import AuditAction
from ..export.ansichtkaart import svg as ansichtkaart_svg
from ..forms import AnsichtkaartForm
from ..services import ansichtkaart as svc
from ..services import ansichtkaart_edits as edits
from ..services.errors import Invalid
from ..synthesis.ansichtkaart import LAYOUTS, alt_text, problems
from .bouwsteen import print_ahead
from .decorators import programme_access, werkplaats_access
from .files import file_response, recorded_download
from .htmx import is_htmx, redirect_after_post, retarget, vary
from .links import public_url

bp = Blueprint("ansichtkaart", __name__)
PREFIX = "/f/werkplaatsen/<int:wid>/ansichtkaart"
GALLERY = "/f/programmas/<int:pid>/ansichtkaarten"


def link_for(token: str) -> str:
    """The bouwsteen's read-only page, where an ansichtkaart's QR code leads."""
    return public_url("bouwsteen.shared", token=token)


def _ansichtkaart():
    ansichtkaart = svc.find(g.werkplaats)
    if ansichtkaart is None:
        abort(404)
    return ansichtkaart


def _back(anchor: str = ""):
    return redirect_after_post(url_for(".view", wid=g.werkplaats.id) + anchor)


def _flash_made(made: edits.Made) -> None:
    if made.link_turned_on:
        flash(
            _(
                "De leeslink van de bouwsteen staat nu aan: de QR-code op de kaart wijst ernaar. "
                "Je kunt hem intrekken op de pagina van de bouwsteen."
            ),
            "info",
        )
    for n in made.kept_paragraphs:
        flash(
            _(
                "Alinea %(n)d schreef je met de hand; die is bewaard. Wil je de nieuwe "
                "machinetekst, zet hem dan terug met de knop bij die alinea.",
                n=n,
            ),
            "info",
        )
    if made.kept_title:
        flash(_("Je eigen titel is bewaard."), "info")
    if made.kept_terms:
        flash(_("Je eigen keuze van kernwoorden is bewaard."), "info")
    if made.terms_reset:
        flash(
            _(
                "Je keuze van kernwoorden paste niet meer; het beeld toont weer de kernwoorden "
                "van de machine."
            ),
            "info",
        )
    if made.shortened:
        flash(
            _("Om ruimte te maken voor je eigen tekst is de machinetekst ingekort."),
            "info",
        )


# --- the ansichtkaart page ------------------------------------------------------------------


@bp.get(PREFIX)
@werkplaats_access(control=False)
def view(wid: int):
    ansichtkaart = svc.find(g.werkplaats)
    if ansichtkaart is None:
        return render_template("ansichtkaart/new.html", werkplaats=g.werkplaats)
    content = svc.content_of(ansichtkaart.current)
    return render_template(
        "ansichtkaart/ansichtkaart.html",
        werkplaats=g.werkplaats,
        ansichtkaart=ansichtkaart,
        version=ansichtkaart.current,
        content=content,
        alt=alt_text(content),
        newer=svc.newer_bouwsteen(ansichtkaart),
        link=svc.link_state(ansichtkaart, link_for),
        machine={n: svc.machine_paragraph(ansichtkaart, n) for n in (1, 2, 3)},
        problems=problems(content),
    )


@bp.post(PREFIX + "/maken")
@werkplaats_access(control=False)
def make(wid: int):
    made = edits.generate(g.werkplaats, current_user, link_for, print_ahead=print_ahead())
    if made.version is not None:
        flash(_("De ansichtkaart is gemaakt uit de bouwsteen (versie 1)."), "success")
    _flash_made(made)
    return _back()


@bp.post(PREFIX + "/bijwerken")
@werkplaats_access(control=False)
def regenerate(wid: int):
    made = edits.regenerate(_ansichtkaart(), current_user, link_for)
    if made.version is None:
        flash(_("De kaart was al bij; er is niets veranderd."), "info")
    else:
        flash(
            _("Bijgewerkt uit de nieuwste bouwsteen (versie %(n)d).", n=made.version.number),
            "success",
        )
    _flash_made(made)
    return _back()


@bp.post(PREFIX + "/alineas/<int:n>/machinetekst")
@werkplaats_access(control=False)
def machine_text(wid: int, n: int):
    edits.use_machine_paragraph(_ansichtkaart(), n, current_user)
    flash(_("De machinetekst staat terug; je eigen tekst zit in de vorige versie."), "success")
    return _back()


@bp.post(PREFIX + "/qr-code")
@werkplaats_access(control=False)
def refresh_link(wid: int):
    made = edits.refresh_link(_ansichtkaart(), current_user, link_for)
    flash(_("De QR-code wijst naar de leeslink van de bouwsteen."), "success")
    _flash_made(made)
    return _back()


# --- the editor and its live preview ---------------------------------------------------------


def _form(ansichtkaart) -> AnsichtkaartForm:
    form = AnsichtkaartForm()
    form.terms.choices = [SelectChoice(t.text, t.text) for t in svc.term_choices(ansichtkaart)]
    form.layout.choices = [SelectChoice(name, shown(name, "Layout")) for name in LAYOUTS]
    if request.method == "GET":
        content = svc.content_of(ansichtkaart.current)
        form.title.data = content.title
        form.paragraph_1.data, form.paragraph_2.data, form.paragraph_3.data = (
            p.text for p in content.paragraphs
        )
        form.terms.data = [t.text for t in content.terms]
        form.layout.data = content.layout
    return form


def _edited(ansichtkaart, form: AnsichtkaartForm):
    return svc.edited(
        ansichtkaart,
        title=form.title.data,
        paragraphs=form.paragraphs,
        terms=form.chosen_terms,
        layout=form.layout.data,
    )


def _preview_src(content) -> str:
    """The card as a data: URL (the CSP allows ``img-src data:``): an unsaved card's text can
    be longer than a URL may be, so it travels in the answer, not in a query string."""
    return (
        "data:image/svg+xml;base64," + base64.b64encode(ansichtkaart_svg.render(content)).decode()
    )


def _editor(ansichtkaart, form, content, status: int = 200):
    return render_template(
        "ansichtkaart/editor.html",
        werkplaats=g.werkplaats,
        ansichtkaart=ansichtkaart,
        form=form,
        content=content,
        preview_src=_preview_src(content),
        alt=alt_text(content),
        origins=[p.origin for p in svc.content_of(ansichtkaart.current).paragraphs],
    ), status


@bp.route(PREFIX + "/bewerken", methods=["GET", "POST"])
@werkplaats_access(control=False)
def edit(wid: int):
    ansichtkaart = _ansichtkaart()
    form = _form(ansichtkaart)
    if request.method == "GET":
        return _editor(ansichtkaart, form, svc.content_of(ansichtkaart.current))
    if not form.validate_on_submit():
        abort(400)
    try:
        version = edits.save_edit(
            ansichtkaart,
            current_user,
            title=form.title.data,
            paragraphs=form.paragraphs,
            terms=form.chosen_terms,
            layout=form.layout.data,
        )
    except Invalid as e:
        flash(e.message, "error")
        return _editor(ansichtkaart, form, svc.content_of(ansichtkaart.current), 422)
    if version is None:
        flash(_("Er was niets veranderd; er is geen nieuwe versie gemaakt."), "info")
    else:
        flash(_("Opgeslagen als versie %(n)d.", n=version.number), "success")
    return _back()


@bp.post(PREFIX + "/voorbeeld")
@werkplaats_access(control=False)
def preview(wid: int):
    """Check and draw the form's card without saving: the fragment for htmx, or (a plain
    POST from the "Voorbeeld tonen" button) the editor page showing it."""
    ansichtkaart = _ansichtkaart()
    form = _form(ansichtkaart)
    if not form.validate_on_submit():
        abort(400)
    try:
        content = _edited(ansichtkaart, form)
    except Invalid as e:
        if is_htmx():
            response = make_response(
                render_template("ansichtkaart/_preview_status.html", error=e.message), 422
            )
            return vary(retarget(response, "#ansichtkaart-preview-status"))
        flash(e.message, "error")
        return vary(
            make_response(_editor(ansichtkaart, form, svc.content_of(ansichtkaart.current), 422))
        )
    if is_htmx():
        return vary(
            make_response(
                render_template(
                    "ansichtkaart/_preview.html",
                    preview_src=_preview_src(content),
                    alt=alt_text(content),
                    oob=True,
                )
            )
        )
    return vary(make_response(_editor(ansichtkaart, form, content)))


# --- versions ------------------------------------------------------------------------------


@bp.get(PREFIX + "/versies")
@werkplaats_access(control=False)
def versions(wid: int):
    return render_template(
        "ansichtkaart/versions.html", werkplaats=g.werkplaats, ansichtkaart=_ansichtkaart()
    )


@bp.get(PREFIX + "/versies/<int:number>")
@werkplaats_access(control=False)
def version(wid: int, number: int):
    ansichtkaart = _ansichtkaart()
    version = svc.get_version(ansichtkaart, number)
    return render_template(
        "ansichtkaart/version.html",
        werkplaats=g.werkplaats,
        ansichtkaart=ansichtkaart,
        version=version,
        content=svc.content_of(version),
    )


@bp.post(PREFIX + "/versies/<int:number>/terugzetten")
@werkplaats_access(control=False)
def restore(wid: int, number: int):
    version = edits.restore_version(_ansichtkaart(), number, current_user)
    flash(
        _("Versie %(old)d teruggezet als versie %(new)d.", old=number, new=version.number),
        "success",
    )
    return _back()


# --- downloads ------------------------------------------------------------------------------


@bp.get(PREFIX + ".<any(pdf, png, svg, txt):fmt>")
@bp.get(PREFIX + "-<any(afloop, printvel):fmt>.pdf", endpoint="download_pdf")
@werkplaats_access(control=False)
def download(wid: int, fmt: str):
    ansichtkaart = _ansichtkaart()
    number = request.args.get("versie", type=int)
    version = svc.get_version(ansichtkaart, number) if number else None
    body = svc.export(ansichtkaart, fmt, version)
    return recorded_download(AuditAction.ANSICHTKAART_DOWNLOAD, g.werkplaats, *body)


@bp.get(PREFIX + "/beeld.svg")
@werkplaats_access(control=False)
def image(wid: int):
    """The card as an image for this app's own pages (a version with ``?versie=``)."""
    ansichtkaart = _ansichtkaart()
    number = request.args.get("versie", type=int)
    version = svc.get_version(ansichtkaart, number) if number else None
    return file_response(*svc.export(ansichtkaart, "svg", version), attachment=False)


# --- the programme's gallery ---------------------------------------------------------------


@bp.get(GALLERY)
@programme_access(manage=False)
def gallery(pid: int):
    """The cards of the werkplaatsen the viewer may read; of the others, not even a title."""
    listed = svc.programme_ansichtkaarten(g.programme, reader=current_user)
    return render_template(
        "ansichtkaart/gallery.html",
        programme=g.programme,
        made=[(w, v, svc.content_of(v)) for w, v in listed if v],
        missing=[w for w, v in listed if v is None],
        hidden=len(g.programme.werkplaatsen) - len(listed),
        alt_text=alt_text,
    )


@bp.get(GALLERY + ".pdf", defaults={"fmt": "pdf"})
@bp.get(GALLERY + "-printvel.pdf", defaults={"fmt": "printvel"})
@programme_access(manage=False)
def gallery_download(pid: int, fmt: str):
    body = svc.gallery_export(g.programme, fmt, reader=current_user)
    return recorded_download(AuditAction.ANSICHTKAART_DOWNLOAD, g.programme, *body)


@bp.get(GALLERY + "/<int:wid>.svg")
@programme_access(manage=False)
def gallery_image(pid: int, wid: int):
    version = svc.programme_ansichtkaart(g.programme, wid, reader=current_user)
    return file_response(*svc.export(version.ansichtkaart, "svg", version), attachment=False)
