"""Practice mode: accounts, logins, invites, audit; every journal record gets an owner."""

import sqlalchemy as sa
from alembic import op

revision = "m0002"
down_revision = "m0001"
branch_labels = None
depends_on = None

# SQLite leaves m0001's unique constraint on nights.night unnamed: name it to drop it.
NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("owner", sa.String(36), nullable=False, server_default=""))
        batch.create_index("ix_sessions_owner", ["owner"])
    with op.batch_alter_table("nights", naming_convention=NAMING) as batch:
        batch.add_column(sa.Column("owner", sa.String(36), nullable=False, server_default=""))
        batch.drop_constraint("uq_nights_night" if sqlite else "nights_night_key", type_="unique")
        batch.create_unique_constraint("uq_nights_owner_night", ["owner", "night"])
    # The profile's key becomes (owner, key): a new table is the plainest way on both databases.
    op.create_table(
        "profile_new",
        sa.Column("owner", sa.String(36), primary_key=True, server_default=""),
        sa.Column("key", sa.String(50), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.execute("INSERT INTO profile_new (owner, key, value) SELECT '', key, value FROM profile")
    op.drop_table("profile")
    op.rename_table("profile_new", "profile")
    if not sqlite:  # PostgreSQL keeps the old name on the renamed table's primary key
        op.execute("ALTER TABLE profile RENAME CONSTRAINT profile_new_pkey TO profile_pkey")

    op.create_table(
        "accounts",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("email", sa.String(254), nullable=False, unique=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("therapist_id", sa.String(36), index=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("closed_at", sa.DateTime),
    )
    op.create_table(
        "logins",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("account_id", sa.String(36), nullable=False, index=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("revoked_at", sa.DateTime),
    )
    op.create_table(
        "invites",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("therapist_id", sa.String(36), nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
        sa.Column("used_at", sa.DateTime),
    )
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("email", sa.String(254), nullable=False, index=True),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime, nullable=False, index=True),
        sa.Column("actor_id", sa.String(36), nullable=False),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("subject_id", sa.String(36), nullable=False, index=True),
        sa.Column("detail", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    for table in ("audit", "login_failures", "invites", "logins", "accounts"):
        op.drop_table(table)
    raise NotImplementedError("records of several owners cannot go back to one journal")
