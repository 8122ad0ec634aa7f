"""ansichtkaart: the postcard of a bouwsteen, with its versions

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 13:32:00.010389

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ansichtkaart',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bouwsteen_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['bouwsteen_id'], ['bouwsteen.id'], name=op.f('fk_ansichtkaart_bouwsteen_id_bouwsteen')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ansichtkaart')),
    sa.UniqueConstraint('bouwsteen_id', name=op.f('uq_ansichtkaart_bouwsteen_id'))
    )
    # Each version holds the whole card (``ansichtkaart.to_dict``) and the machine's card it
    # rests on, so every version can be shown, downloaded and restored as it was.
    op.create_table('ansichtkaart_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ansichtkaart_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('card', sa.JSON(), nullable=False),
    sa.Column('machine', sa.JSON(), nullable=False),
    sa.Column('bouwsteen_version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['ansichtkaart_id'], ['ansichtkaart.id'], name=op.f('fk_ansichtkaart_version_ansichtkaart_id_ansichtkaart')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_ansichtkaart_version_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ansichtkaart_version')),
    sa.UniqueConstraint('ansichtkaart_id', 'number', name=op.f('uq_ansichtkaart_version_ansichtkaart_id_number'))
    )
    with op.batch_alter_table('ansichtkaart_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ansichtkaart_version_ansichtkaart_id'), ['ansichtkaart_id'], unique=False)


def downgrade():
    with op.batch_alter_table('ansichtkaart_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ansichtkaart_version_ansichtkaart_id'))

    op.drop_table('ansichtkaart_version')
    op.drop_table('ansichtkaart')
