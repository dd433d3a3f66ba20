"""Alembic, driven from code: the client's data file and the station's database each
keep their own migrations folder, and both are upgraded the same way."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine


def alembic_config(migrations: Path) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations))
    return config


def head_revision(migrations: Path) -> str:
    return ScriptDirectory.from_config(alembic_config(migrations)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(conn: Connection, migrations: Path, target: str = "head") -> bool:
    """Upgrade inside the caller's transaction unless already there; True if it ran."""
    wanted = head_revision(migrations) if target == "head" else target
    if MigrationContext.configure(conn).get_current_revision() == wanted:
        return False
    config = alembic_config(migrations)
    config.attributes["connection"] = conn
    command.upgrade(config, wanted)
    return True
