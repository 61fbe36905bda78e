"""Initial schema: customers, contacts, contracts, policies, calendars, releases, outbox, inbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op

from shared.db import messaging_tables_ddl

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "entitlement"


def upgrade() -> None:
    for statement in messaging_tables_ddl(SCHEMA):
        op.execute(statement)
    op.execute(f"""
        CREATE TABLE "{SCHEMA}".customer (
            id uuid PRIMARY KEY,
            name text NOT NULL,
            trained_specialists integer NOT NULL DEFAULT 0 CHECK (trained_specialists >= 0),
            warranty_until date,
            products text[] NOT NULL DEFAULT '{{}}',
            timezone text NOT NULL DEFAULT 'Europe/Moscow',
            calendar_version text,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now()
        )""")
    op.execute(f'CREATE INDEX ix_customer_created ON "{SCHEMA}".customer (created_at, id)')
    op.execute(f"""
        CREATE TABLE "{SCHEMA}".contact (
            id uuid PRIMARY KEY,
            customer_id uuid NOT NULL REFERENCES "{SCHEMA}".customer (id),
            name text NOT NULL,
            email text NOT NULL,
            phone text,
            chat_id text,
            active boolean NOT NULL DEFAULT true,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now()
        )""")
    # An address or chat id identifies at most one active contact platform-wide, so a
    # contact of customer A can never be resolved to customer B. These indexes are also
    # the entitlement check's lookup path.
    op.execute(
        f'CREATE UNIQUE INDEX uq_contact_active_email ON "{SCHEMA}".contact (lower(email)) WHERE active'
    )
    op.execute(
        f'CREATE UNIQUE INDEX uq_contact_active_chat ON "{SCHEMA}".contact (chat_id) '
        "WHERE active AND chat_id IS NOT NULL"
    )
    op.execute(f'CREATE INDEX ix_contact_customer ON "{SCHEMA}".contact (customer_id)')
    op.execute(f"""
        CREATE TABLE "{SCHEMA}".policy (
            version text PRIMARY KEY CHECK (position('+' in version) = 0),
            contract_id uuid,
            document jsonb NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now()
        )""")
    op.execute(f"""
        CREATE TABLE "{SCHEMA}".contract (
            id uuid PRIMARY KEY,
            customer_id uuid NOT NULL REFERENCES "{SCHEMA}".customer (id),
            tier text NOT NULL CHECK (tier IN ('extended', 'business', 'premium')),
            tier_rank smallint NOT NULL,
            starts_on date NOT NULL,
            ends_on date NOT NULL,
            starts_at timestamptz NOT NULL,
            ends_at timestamptz NOT NULL,
            dedicated_manager text,
            dedicated_engineer text,
            policy_version text NOT NULL,
            shortened_pre_holidays boolean NOT NULL DEFAULT false,
            expired_at timestamptz,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT ck_contract_dates CHECK (ends_on >= starts_on AND ends_at > starts_at)
        )""")
    op.execute(
        f'CREATE INDEX ix_contract_customer_end ON "{SCHEMA}".contract (customer_id, ends_at)'
    )
    # The expiry job's queue: contracts whose end has not been announced yet.
    op.execute(
        f'CREATE INDEX ix_contract_unannounced_end ON "{SCHEMA}".contract (ends_at) '
        "WHERE expired_at IS NULL"
    )
    op.execute(f"""
        CREATE TABLE "{SCHEMA}".calendar (
            version text PRIMARY KEY,
            customer_id uuid NOT NULL REFERENCES "{SCHEMA}".customer (id),
            seq integer NOT NULL,
            overrides jsonb NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT uq_calendar_customer_seq UNIQUE (customer_id, seq)
        )""")
    op.execute(f"""
        CREATE TABLE "{SCHEMA}".release (
            id uuid PRIMARY KEY,
            product text NOT NULL,
            version text NOT NULL,
            kind text NOT NULL CHECK (kind IN ('release', 'public_patch')),
            notes text NOT NULL DEFAULT '',
            customer_ids uuid[] NOT NULL DEFAULT '{{}}',
            published_at timestamptz NOT NULL DEFAULT now()
        )""")
    op.execute(
        f'CREATE UNIQUE INDEX uq_release_product_version ON "{SCHEMA}".release '
        "(lower(product), version, kind)"
    )


def downgrade() -> None:
    for table in (
        "release",
        "calendar",
        "contract",
        "policy",
        "contact",
        "customer",
        "inbox",
        "outbox",
    ):
        op.execute(f'DROP TABLE IF EXISTS "{SCHEMA}".{table}')
