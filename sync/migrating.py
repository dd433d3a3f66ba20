"""Alembic, driven from code: the client's data file and the station's database each
keep their own migrations folder, and both are upgraded the same way.

Alembic is imported only when a migration may run: opening a file that is already
current (every start of the desktop but the first after an upgrade) needs one query,
and importing Alembic would cost a third of a second of the program's cold start.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text


def alembic_config(migrations: Path):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations))
    return config


def head_revision(migrations: Path) -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config(migrations)).get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations in {migrations}")
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision a database is at (None for a new one), read without Alembic."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(conn: Connection, migrations: Path, target: str = "head") -> bool:
    """Upgrade inside the caller's transaction unless already there; True if it ran."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    wanted = head_revision(migrations) if target == "head" else target
    if MigrationContext.configure(conn).get_current_revision() == wanted:
        return False
    config = alembic_config(migrations)
    config.attributes["connection"] = conn
    command.upgrade(config, wanted)
    return True
