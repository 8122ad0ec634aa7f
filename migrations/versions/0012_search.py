"""search: bouwsteen_passage, and each database's own full-text index

PostgreSQL: GIN indexes on to_tsvector('dutch', text) of contribution and bouwsteen_passage.
SQLite: FTS5 tables of the stemmed text (noviwerk.synthesis.search.index_text), rowid = id,
filled here from what is already there and kept in step by noviwerk.services.search.

Revision ID: 0012
Revises: 0007
Create Date: 2026-12-05 00:12:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0010'
branch_labels = None
depends_on = None

FTS5 = ('contribution_fts', 'bouwsteen_passage_fts')


def upgrade():
    op.create_table('bouwsteen_passage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bouwsteen_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['bouwsteen_id'], ['bouwsteen.id'], name=op.f('fk_bouwsteen_passage_bouwsteen_id_bouwsteen'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bouwsteen_passage')),
    sa.UniqueConstraint('bouwsteen_id', 'section_id', name=op.f('uq_bouwsteen_passage_bouwsteen_id_section_id'))
    )
    with op.batch_alter_table('bouwsteen_passage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bouwsteen_passage_bouwsteen_id'), ['bouwsteen_id'], unique=False)

    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        op.execute("CREATE INDEX ix_contribution_text_dutch ON contribution "
                   "USING gin (to_tsvector('dutch'::regconfig, text))")
        op.execute("CREATE INDEX ix_bouwsteen_passage_text_dutch ON bouwsteen_passage "
                   "USING gin (to_tsvector('dutch'::regconfig, text))")
    elif bind.dialect.name == 'sqlite':
        # Our own stems, one word each: FTS5 only splits them (diacritics are folded already).
        for table in FTS5:
            op.execute(f"CREATE VIRTUAL TABLE {table} USING fts5(stems, "
                       "tokenize = 'unicode61 remove_diacritics 0')")
    _fill(bind)


def _fill(bind):
    """Index what the database already holds: every contribution, every current bouwsteen.
    Only the pure text helpers are used, so later changes to the models cannot break this."""
    import json

    from noviwerk.synthesis.document import from_dict
    from noviwerk.synthesis.search import index_text, passages

    sqlite = bind.dialect.name == 'sqlite'
    if sqlite:
        rows = bind.execute(sa.text('SELECT id, text FROM contribution')).all()
        if rows:
            bind.execute(sa.text('INSERT INTO contribution_fts (rowid, stems) VALUES (:id, :stems)'),
                         [{'id': i, 'stems': index_text(t)} for i, t in rows])
    current = bind.execute(sa.text(
        'SELECT v.bouwsteen_id, v.document FROM bouwsteen_version v '
        'WHERE v.number = (SELECT max(w.number) FROM bouwsteen_version w '
        'WHERE w.bouwsteen_id = v.bouwsteen_id)'
    )).all()
    for bouwsteen_id, document in current:
        try:
            found = passages(from_dict(json.loads(document) if isinstance(document, str) else document))
        except (ValueError, KeyError, TypeError):
            continue
        for position, p in enumerate(found, 1):
            new_id = bind.execute(sa.text(
                'INSERT INTO bouwsteen_passage (bouwsteen_id, section_id, position, title, text) '
                'VALUES (:b, :s, :p, :t, :x) RETURNING id'
            ), {'b': bouwsteen_id, 's': p.section_id[:64], 'p': position, 't': p.title[:200],
                'x': p.text}).scalar_one()
            if sqlite:
                bind.execute(sa.text('INSERT INTO bouwsteen_passage_fts (rowid, stems) '
                                     'VALUES (:id, :stems)'), {'id': new_id, 'stems': index_text(p.text)})


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        op.execute('DROP INDEX IF EXISTS ix_contribution_text_dutch')
    elif bind.dialect.name == 'sqlite':
        for table in FTS5:
            op.execute(f'DROP TABLE IF EXISTS {table}')
    with op.batch_alter_table('bouwsteen_passage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bouwsteen_passage_bouwsteen_id'))

    op.drop_table('bouwsteen_passage')
