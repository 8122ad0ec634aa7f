"""contribution_tag: the NOVI's nationale belangen and prioriteiten as tags on contributions

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-12 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contribution_tag',
    sa.Column('contribution_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=16), nullable=False),
    sa.Column('tagged_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contribution_id'], ['contribution.id'], name=op.f('fk_contribution_tag_contribution_id_contribution'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contribution_id', 'tag', name=op.f('pk_contribution_tag'))
    )
    with op.batch_alter_table('contribution_tag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contribution_tag_tag'), ['tag'], unique=False)


def downgrade():
    with op.batch_alter_table('contribution_tag', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contribution_tag_tag'))

    op.drop_table('contribution_tag')
