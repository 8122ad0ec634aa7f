"""tafel: a werkplaats' tables; participant.tafel_id (where they sit now),
contribution.tafel_id (where it was posted), a tafel's main points, round.is_at_tafels

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 05:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('tafel',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('werkplaats_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=True),
    sa.Column('kernvraag_id', sa.Integer(), nullable=True),
    sa.Column('voorzitter_name', sa.String(length=120), nullable=False),
    sa.Column('voorzitter_id', sa.Integer(), nullable=True),
    sa.Column('is_closed', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['kernvraag_id'], ['kernvraag.id'], name=op.f('fk_tafel_kernvraag_id_kernvraag'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['theme_id'], ['theme.id'], name=op.f('fk_tafel_theme_id_theme'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['voorzitter_id'], ['user.id'], name=op.f('fk_tafel_voorzitter_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['werkplaats_id'], ['werkplaats.id'], name=op.f('fk_tafel_werkplaats_id_werkplaats'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tafel')),
    sa.UniqueConstraint('token', name=op.f('uq_tafel_token')),
    sa.UniqueConstraint('werkplaats_id', 'name', name=op.f('uq_tafel_werkplaats_id_name'))
    )
    with op.batch_alter_table('tafel', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tafel_werkplaats_id'), ['werkplaats_id'], unique=False)

    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tafel_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_participant_tafel_id_tafel'), 'tafel', ['tafel_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_at_tafels', sa.Boolean(), server_default=sa.true(), nullable=False))

    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tafel_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('is_main_point', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index(batch_op.f('ix_contribution_tafel_id'), ['tafel_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_contribution_tafel_id_tafel'), 'tafel', ['tafel_id'], ['id'])


def downgrade():
    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_contribution_tafel_id_tafel'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_contribution_tafel_id'))
        batch_op.drop_column('is_main_point')
        batch_op.drop_column('tafel_id')

    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.drop_column('is_at_tafels')

    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_participant_tafel_id_tafel'), type_='foreignkey')
        batch_op.drop_column('tafel_id')

    with op.batch_alter_table('tafel', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tafel_werkplaats_id'))

    op.drop_table('tafel')
