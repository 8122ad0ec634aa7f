"""Search a programme: every contribution and every bouwsteen text, by the database's own
full-text engine, filtered, and only what the reader may open.

PostgreSQL searches ``to_tsvector('dutch', text)`` through GIN indexes on the live rows, so
its index is as current as the rows themselves. SQLite searches FTS5 tables of a stemmed
copy of the text (``synthesis.search``), kept in step by ``search_index`` in the transaction
of every write. Whether a contribution may be found (hidden, withdrawn, waiting for
moderation) is read from the row at search time, so a moderation never leaves the index
behind.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import reduce

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from ..domain import Label, Veld
from ..extensions import db
from ..models import (
    Bouwsteen,
    BouwsteenPassage,
    Contribution,
    Kernvraag,
    Programme,
    Round,
    User,
    Werkplaats,
)
from ..models.search import CONTRIBUTION_FTS, DUTCH, PASSAGE_FTS
from ..synthesis import search as pure
from ..synthesis.document import kernvraag_section_id
from . import permissions

PER_PAGE = 20
MAX_PASSAGES = 20  # bouwsteen sections shown at once; a narrower query finds the rest


# --- what is asked ------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchFilter:
    text: str = ""
    asked: bool = False  # the form was sent (q in the URL), even empty
    theme_id: int | None = None
    kernvraag_id: int | None = None
    label: str | None = None
    veld: str | None = None
    werkplaats_id: int | None = None
    page: int = 1
    notices: tuple[str, ...] = field(default=(), compare=False)

    def query(self, **changes) -> dict[str, str]:
        """The query string that asks for this search again (with ``changes``)."""
        f = replace(self, **changes)
        args = {
            "q": f.text,
            "thema": str(f.theme_id or ""),
            "kernvraag": str(f.kernvraag_id or ""),
            "soort": f.label or "",
            "veld": f.veld or "",
            "werkplaats": str(f.werkplaats_id or ""),
            "pagina": str(f.page) if f.page > 1 else "",
        }
        return {k: v for k, v in args.items() if v or k == "q"}

    @property
    def is_narrowed(self) -> bool:
        return any((self.theme_id, self.kernvraag_id, self.label, self.veld, self.werkplaats_id))


def viewable(programme: Programme, user: User | None) -> list[Werkplaats]:
    """The programme's werkplaatsen ``user`` may open, with their contributions and bouwsteen."""
    werkplaatsen = db.session.scalars(
        sa.select(Werkplaats)
        .where(Werkplaats.programme_id == programme.id)
        .options(selectinload(Werkplaats.staff))
        .order_by(Werkplaats.starts_at, Werkplaats.title)
    )
    return [w for w in werkplaatsen if permissions.can_view(user, w)]


def parse_filter(
    args: Mapping[str, str], programme: Programme, werkplaatsen: list[Werkplaats]
) -> SearchFilter:
    """The search a query string asks for; a filter value not understood becomes a notice."""
    notices: list[str] = []

    def get(name: str) -> str:
        return (args.get(name) or "").strip()

    def one_of(name: str, ids: set[int], message: str) -> int | None:
        raw = get(name)
        if not raw:
            return None
        if raw.isdigit() and int(raw) in ids:
            return int(raw)
        notices.append(message)
        return None

    theme_id = one_of(
        "thema",
        {t.id for t in programme.themes},
        _("Het gekozen thema hoort niet bij dit programma; het filter is weggelaten."),
    )
    kernvraag_id = one_of(
        "kernvraag",
        {k.id for k in programme.kernvragen},
        _("De gekozen kernvraag hoort niet bij dit programma; het filter is weggelaten."),
    )
    werkplaats_id = one_of(
        "werkplaats",
        {w.id for w in werkplaatsen},
        _("Die werkplaats kun je in dit programma niet inzien; het filter is weggelaten."),
    )
    label = get("soort") or None
    if label and label not in Label.values():
        notices.append(_("De soort '%(v)s' bestaat niet; het filter is weggelaten.", v=label[:40]))
        label = None
    veld = get("veld") or None
    if veld and veld not in Veld.values():
        notices.append(_("Het veld '%(v)s' bestaat niet; het filter is weggelaten.", v=veld[:40]))
        veld = None
    page = get("pagina")
    return SearchFilter(
        text=" ".join(get("q").split())[: pure.MAX_QUERY_CHARS],
        asked="q" in args,
        theme_id=theme_id,
        kernvraag_id=kernvraag_id,
        label=label,
        veld=veld,
        werkplaats_id=werkplaats_id,
        page=min(int(page), 10_000) if page.isdigit() and int(page) > 0 else 1,
        notices=tuple(notices),
    )


# --- what is found ------------------------------------------------------------------------


@dataclass(frozen=True)
class ContributionHit:
    id: int
    werkplaats_id: int
    werkplaats_title: str
    round_position: int
    kernvraag_title: str | None
    label: str | None
    veld: str | None
    is_merged: bool
    segments: tuple[pure.Segment, ...]


@dataclass(frozen=True)
class PassageHit:
    werkplaats_id: int
    werkplaats_title: str
    bouwsteen_status: str
    section_id: str
    section_title: str
    segments: tuple[pure.Segment, ...]


@dataclass(frozen=True)
class SearchResult:
    query: pure.Query
    message: str = ""  # why nothing was searched (no words typed)
    contributions: tuple[ContributionHit, ...] = ()
    contribution_count: int = 0
    passages: tuple[PassageHit, ...] = ()
    passage_count: int = 0
    page: int = 1

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.contribution_count / PER_PAGE))

    @property
    def start(self) -> int:
        """The number of the first contribution on this page."""
        return (self.page - 1) * PER_PAGE + 1

    @property
    def count(self) -> int:
        return self.contribution_count + self.passage_count


def _dutch():
    # A literal, not a parameter: only the same expression as the index's uses the index.
    return sa.literal_column(f"'{DUTCH}'::regconfig")


def _tsquery(query: pure.Query):
    parts = [sa.func.phraseto_tsquery(_dutch(), phrase) for phrase in query.phrases()]
    return reduce(lambda a, b: a.op("&&")(b), parts)


def _ranked(column, fts_table: str, query: pure.Query):
    """(id, rank) of the rows whose ``column`` matches ``query``, best first by rank."""
    if db.engine.dialect.name == "sqlite":
        fts = sa.literal_column(fts_table)
        return (
            sa.select(sa.literal_column("rowid").label("id"), sa.func.bm25(fts).label("rank"))
            .select_from(sa.table(fts_table))
            .where(fts.op("MATCH")(query.fts5()))
            .subquery()
        )
    tsv = sa.func.to_tsvector(_dutch(), column)
    tsq = _tsquery(query)
    return (
        sa.select(column.table.c.id.label("id"), (-sa.func.ts_rank(tsv, tsq)).label("rank"))
        .where(tsv.op("@@")(tsq))
        .subquery()
    )


def _contribution_ids(query: pure.Query, f: SearchFilter, werkplaats_ids: list[int]) -> list[int]:
    ranked = _ranked(Contribution.__table__.c.text, CONTRIBUTION_FTS, query)
    q = (
        sa.select(Contribution.id)
        .join(ranked, ranked.c.id == Contribution.id)
        .join(Werkplaats, Werkplaats.id == Contribution.werkplaats_id)
        .where(Contribution.werkplaats_id.in_(werkplaats_ids), Contribution.is_visible)
        .order_by(ranked.c.rank, Werkplaats.starts_at, Contribution.id)
    )
    if f.theme_id:
        q = q.where(Werkplaats.theme_id == f.theme_id)
    if f.kernvraag_id:
        q = q.join(Round, Round.id == Contribution.round_id).where(
            Round.kernvraag_id == f.kernvraag_id
        )
    if f.label:
        q = q.where(Contribution.label == Label(f.label))
    if f.veld:
        q = q.where(Contribution.veld == Veld(f.veld))
    return list(db.session.scalars(q))


def _contribution_hits(ids: list[int], query: pure.Query) -> list[ContributionHit]:
    rows = db.session.scalars(
        sa.select(Contribution)
        .where(Contribution.id.in_(ids))
        .options(selectinload(Contribution.round).selectinload(Round.kernvraag))
    )
    by_id = {c.id: c for c in rows}
    titles = dict(
        db.session.execute(
            sa.select(Werkplaats.id, Werkplaats.title).where(
                Werkplaats.id.in_({c.werkplaats_id for c in by_id.values()})
            )
        ).all()
    )
    hits = []
    for cid in ids:
        c = by_id[cid]
        hits.append(
            ContributionHit(
                id=c.id,
                werkplaats_id=c.werkplaats_id,
                werkplaats_title=titles[c.werkplaats_id],
                round_position=c.round.position,
                kernvraag_title=c.round.kernvraag.title if c.round.kernvraag else None,
                label=c.label.value if c.label else None,
                veld=c.veld.value if c.veld else None,
                is_merged=c.merged_into_id is not None,
                segments=pure.highlight(c.text, query.terms),
            )
        )
    return hits


def _passage_hits(
    query: pure.Query, f: SearchFilter, werkplaats_ids: list[int]
) -> tuple[list[PassageHit], int]:
    if f.label or f.veld:  # a bouwsteen's text has no soort or veld of its own
        return [], 0
    ranked = _ranked(BouwsteenPassage.__table__.c.text, PASSAGE_FTS, query)
    q = (
        sa.select(BouwsteenPassage, Werkplaats.id, Werkplaats.title, Bouwsteen.status)
        .join(ranked, ranked.c.id == BouwsteenPassage.id)
        .join(Bouwsteen, Bouwsteen.id == BouwsteenPassage.bouwsteen_id)
        .join(Werkplaats, Werkplaats.id == Bouwsteen.werkplaats_id)
        .where(Werkplaats.id.in_(werkplaats_ids))
        .order_by(ranked.c.rank, Werkplaats.starts_at, BouwsteenPassage.position)
    )
    if f.theme_id:
        q = q.where(Werkplaats.theme_id == f.theme_id)
    if f.kernvraag_id:
        position = db.session.scalar(
            sa.select(Kernvraag.position).where(Kernvraag.id == f.kernvraag_id)
        )
        q = q.where(BouwsteenPassage.section_id == kernvraag_section_id(position))
    rows = db.session.execute(q).all()
    hits = [
        PassageHit(
            werkplaats_id=wid,
            werkplaats_title=title,
            bouwsteen_status=status.value,
            section_id=p.section_id,
            section_title=p.title,
            segments=pure.excerpt(p.text, query.terms),
        )
        for p, wid, title, status in rows[:MAX_PASSAGES]
    ]
    return hits, len(rows)


def search(programme: Programme, user: User | None, f: SearchFilter) -> SearchResult:
    """What ``f`` finds in ``programme`` among what ``user`` may open: contributions that are
    visible (never hidden, withdrawn or waiting), and the text of the bouwstenen."""
    query = pure.parse_query(f.text)
    if not query:
        if not f.text:
            message = _("Typ een of meer woorden om te zoeken.")
        elif pure.has_words(f.text):
            message = _(
                "Zoek op woorden die iets zeggen: woorden als 'de', 'het' en 'en' tellen niet mee."
            )
        else:
            message = _("Typ een of meer woorden om te zoeken; leestekens alleen zoeken niet.")
        return SearchResult(query=query, message=message if f.asked else "")
    werkplaats_ids = [w.id for w in viewable(programme, user)]
    if f.werkplaats_id:
        werkplaats_ids = [i for i in werkplaats_ids if i == f.werkplaats_id]
    if not werkplaats_ids:
        return SearchResult(query=query)
    ids = _contribution_ids(query, f, werkplaats_ids)
    pages = max(1, math.ceil(len(ids) / PER_PAGE))
    page = min(f.page, pages)
    shown = ids[(page - 1) * PER_PAGE : page * PER_PAGE]
    passages, passage_count = _passage_hits(query, f, werkplaats_ids)
    return SearchResult(
        query=query,
        contributions=tuple(_contribution_hits(shown, query)),
        contribution_count=len(ids),
        passages=tuple(passages) if page == 1 else (),  # on the first page only
        passage_count=passage_count,
        page=page,
    )
