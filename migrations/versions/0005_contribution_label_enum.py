"""contribution.label: the soort bijdrage as an enum, guarded by a CHECK like the others

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 22:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# Every writer (phone, note-taker, relabel, import) already checked the label against these,
# so the stored values pass the new CHECK as they are: the column type stays VARCHAR(24).
LABELS = ('trend', 'ontwikkeling', 'opgave', 'kans', 'dilemma', 'verbinding', 'citaat')


def upgrade():
    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.create_check_constraint('label', sa.column('label').in_(LABELS))


def downgrade():
    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_contribution_label'), type_='check')
        batch_op.alter_column('label',
               existing_type=sa.Enum(*LABELS, name='label', native_enum=False, length=24),
               type_=sa.String(length=24),
               existing_nullable=True)
