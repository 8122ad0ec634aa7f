"""contribution: an index in the order phones list others' input (most supported first)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 13:20:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.create_index(
            'ix_contribution_round_support', ['round_id', 'support_count', 'first_seq'], unique=False)


def downgrade():
    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.drop_index('ix_contribution_round_support')
