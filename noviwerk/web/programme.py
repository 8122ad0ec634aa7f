"""A programme's own pages: make one, its page with its members, change its kernvragen.

Its eigenaren (and beheerders) change it and name its members; its leden read it
(``services/permissions``). The views register on the facilitator blueprint.
"""

from __future__ import annotations

from flask import flash, g, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ..domain import DEFAULT_KERNVRAGEN, KernvraagSpec
from ..forms import ActionForm, MemberForm, ProgrammeForm
from ..services import accounts, oogst, permissions, programmes
from ..services.errors import Invalid
from .decorators import programme_access, scheduler_required
from .facilitator import _field_error, bp
from .htmx import redirect_after_post


def _kernvragen_from(form: ProgrammeForm) -> list[KernvraagSpec]:
    return [
        KernvraagSpec((k.title.data or "").strip(), (k.question.data or "").strip())
        for k in form.kernvragen
    ]


@bp.route("/programmas/nieuw", methods=["GET", "POST"])
@scheduler_required
def new_programme():
    form = ProgrammeForm()
    if request.method == "GET":
        for entry, spec in zip(form.kernvragen, DEFAULT_KERNVRAGEN, strict=False):
            entry.title.data, entry.question.data = spec.title, spec.question
    if form.validate_on_submit():
        try:
            programme = programmes.create_programme(
                form.name.data,
                form.description.data or "",
                (form.themes.data or "").splitlines(),
                _kernvragen_from(form),
                owner=current_user,
                retention_months=form.retention_months.data,
            )
        except Invalid as e:
            _field_error(form, e)
        else:
            flash(_("Programma aangemaakt. Jij bent de eigenaar."), "success")
            return redirect_after_post(url_for(".programme", pid=programme.id))
    return render_template("facilitator/programme_form.html", form=form, programme=None), (
        422 if request.method == "POST" else 200
    )


# --- the programme page and its members ------------------------------------------------------


def _member_form() -> MemberForm:
    form = MemberForm()
    form.user_id.choices = [
        SelectChoice(u.id, f"{u.name} ({u.email})") for u in accounts.staff_candidates()
    ]
    return form


def _page(member_form: MemberForm | None = None, status: int = 200):
    if member_form is None and g.can_manage_programme:
        member_form = _member_form()
    return render_template(
        "facilitator/programme.html",
        programme=g.programme,
        can_manage=g.can_manage_programme,
        members=programmes.members_of(g.programme),
        member_form=member_form,
        # What each werkplaats yielded (its contributions, its bouwsteen's status), as the
        # oogst counts it: held ones read as held, with their harvest.
        harvest={row.id: row for row in oogst.oogst_rows(g.programme, oogst.OogstFilter())},
    ), status


@bp.get("/programmas/<int:pid>")
@programme_access(manage=False)
def programme(pid: int):
    return _page()


@bp.post("/programmas/<int:pid>/leden")
@programme_access(manage=True)
def member(pid: int):
    """Add an account as eigenaar or lid, or change its role."""
    form = _member_form()
    if form.validate_on_submit():
        try:
            programmes.change_member(
                g.programme, form.user_id.data, form.role.data, by=current_user
            )
        except Invalid as e:
            _field_error(form, e)
        else:
            flash(_("De leden van het programma zijn bijgewerkt."), "success")
            return redirect_after_post(url_for(".programme", pid=pid) + "#leden")
    return _page(form, 422)


@bp.post("/programmas/<int:pid>/leden/<int:uid>/verwijderen")
@programme_access(manage=True)
def remove_member(pid: int, uid: int):
    if ActionForm().validate_on_submit():
        try:
            programmes.change_member(g.programme, uid, None, by=current_user)
        except Invalid as e:
            flash(e.message, "error")
        else:
            flash(_("Het account is geen lid meer van dit programma."), "info")
    if not permissions.can_read_programme(current_user, g.programme):
        return redirect_after_post(url_for(".home"))  # they took themselves off
    return redirect_after_post(url_for(".programme", pid=pid) + "#leden")


# --- changing the programme ------------------------------------------------------------------


@bp.route("/programmas/<int:pid>/bewerken", methods=["GET", "POST"])
@programme_access(manage=True)
def edit_programme(pid: int):
    prog = g.programme
    form = ProgrammeForm(obj=None if request.method == "POST" else prog)
    if request.method == "GET":
        form.themes.data = "\n".join(t.name for t in prog.themes)
        while len(form.kernvragen) < len(prog.kernvragen):
            form.kernvragen.append_entry()
        for entry, kv in zip(form.kernvragen, prog.kernvragen, strict=False):
            entry.title.data, entry.question.data = kv.title, kv.question
    if form.validate_on_submit():
        try:
            programmes.update_programme(
                prog,
                form.name.data,
                form.description.data or "",
                (form.themes.data or "").splitlines(),
                _kernvragen_from(form),
                retention_months=form.retention_months.data,
            )
        except Invalid as e:
            _field_error(form, e)
        else:
            flash(_("Programma opgeslagen."), "success")
            return redirect_after_post(url_for(".programme", pid=pid))
    return render_template("facilitator/programme_form.html", form=form, programme=prog), (
        422 if request.method == "POST" else 200
    )
