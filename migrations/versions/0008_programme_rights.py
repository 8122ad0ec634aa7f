"""programme_member: a programme's eigenaren (change it) and leden (read its oogst)

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-03 09:00:00.000000

Existing programmes recorded no creator, so nobody becomes eigenaar: the facilitators and
trekkers of a programme's werkplaatsen become its leden (they keep seeing its oogst), and a
beheerder, who always may, names eigenaren on the programme page. Until then nobody but a
beheerder renames its kernvragen or adds werkplaatsen to it: safe by default.
"""
from datetime import datetime, UTC

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('programme_member',
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('eigenaar', 'lid', name='programmerole', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_programme_member_programme_id_programme')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_programme_member_user_id_user')),
    sa.PrimaryKeyConstraint('programme_id', 'user_id', name=op.f('pk_programme_member'))
    )
    with op.batch_alter_table('programme_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_member_user_id'), ['user_id'], unique=False)

    conn = op.get_bind()
    werkplaats = sa.table('werkplaats', sa.column('id', sa.Integer), sa.column('programme_id', sa.Integer))
    staff = sa.table('werkplaats_staff', sa.column('werkplaats_id', sa.Integer), sa.column('user_id', sa.Integer))
    member = sa.table(
        'programme_member',
        sa.column('programme_id', sa.Integer),
        sa.column('user_id', sa.Integer),
        sa.column('role', sa.String),
        sa.column('created_at', sa.DateTime),
    )
    pairs = conn.execute(
        sa.select(werkplaats.c.programme_id, staff.c.user_id)
        .select_from(staff.join(werkplaats, staff.c.werkplaats_id == werkplaats.c.id))
        .distinct()
        .order_by(werkplaats.c.programme_id, staff.c.user_id)
    ).all()
    now = datetime.now(UTC).replace(tzinfo=None)
    if pairs:
        op.bulk_insert(
            member,
            [{'programme_id': p, 'user_id': u, 'role': 'lid', 'created_at': now} for p, u in pairs],
        )


def downgrade():
    with op.batch_alter_table('programme_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_member_user_id'))

    op.drop_table('programme_member')
