"""werkplaats.participant_limit and is_join_locked: how many phones may join, and the
facilitator's "sluiten voor nieuwe deelnemers"

Revision ID: 0009
Revises: 0006
Create Date: 2026-12-02 02:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('werkplaats', schema=None) as batch_op:
        # NULL: the server's default limit (NOVIWERK_PARTICIPANT_LIMIT).
        batch_op.add_column(sa.Column('participant_limit', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column('is_join_locked', sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table('werkplaats', schema=None) as batch_op:
        batch_op.drop_column('is_join_locked')
        batch_op.drop_column('participant_limit')
