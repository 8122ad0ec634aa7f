"""AVG: programme.retention_months, and participant.token may be removed (NULL)

Revision ID: 0010
Revises: 0006
Create Date: 2026-12-03 10:00:00.000000

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('retention_months', sa.Integer(), server_default='12', nullable=False)
        )
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.alter_column('token', existing_type=sa.String(length=64), nullable=True)


def downgrade():
    # A removed participant gets a token nobody holds, so the column can be NOT NULL again.
    participant = sa.table('participant', sa.column('id', sa.Integer), sa.column('token', sa.String))
    conn = op.get_bind()
    for (pid,) in conn.execute(sa.select(participant.c.id).where(participant.c.token.is_(None))):
        conn.execute(
            participant.update().where(participant.c.id == pid).values(token=secrets.token_urlsafe(32))
        )
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.alter_column('token', existing_type=sa.String(length=64), nullable=False)
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.drop_column('retention_months')
