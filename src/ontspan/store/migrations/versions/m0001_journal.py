"""Journal: practice sessions, sleep diary, profile."""

import sqlalchemy as sa
from alembic import op

revision = "m0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("started_at", sa.DateTime, nullable=False, index=True),
        sa.Column("routine", sa.String(100), nullable=False),
        sa.Column("options", sa.Text, nullable=False),
        sa.Column("planned_ms", sa.Integer, nullable=False),
        sa.Column("practiced_ms", sa.Integer, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("tension_before", sa.Integer),
        sa.Column("tension_after", sa.Integer),
        sa.Column("reaction", sa.String(200)),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
    )
    op.create_table(
        "nights",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("night", sa.Date, nullable=False, unique=True),
        sa.Column("bed", sa.String(5), nullable=False),
        sa.Column("try_sleep", sa.String(5), nullable=False),
        sa.Column("latency_min", sa.Integer, nullable=False),
        sa.Column("awakenings", sa.Integer, nullable=False),
        sa.Column("awake_min", sa.Integer, nullable=False),
        sa.Column("final", sa.String(5), nullable=False),
        sa.Column("out", sa.String(5), nullable=False),
        sa.Column("quality", sa.Integer, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.create_table(
        "profile",
        sa.Column("key", sa.String(50), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("profile")
    op.drop_table("nights")
    op.drop_table("sessions")
