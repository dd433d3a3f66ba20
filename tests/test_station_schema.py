"""The station's migration builds exactly the tables the code writes to (sync/station/tables.py)."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from sync.station import db, tables
from tests.station_support import station_backends, station_database


def station_only(obj, name, type_, _reflected, _compare_to):
    """Compare the station's own tables; the record tables are sync.ddl's (tested with the client)."""
    table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
    return table in tables.metadata.tables


@pytest.mark.parametrize("backend", station_backends())
def test_migration_matches_the_table_definitions(backend, tmp_path):
    with station_database(backend, tmp_path) as url:
        engine = db.make_engine(url)
        try:
            db.migrate(engine)
            db.migrate(engine)                                   # a second init is a no-op
            assert db.is_ready(engine)
            with db.reading(engine) as conn:
                context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                                 "include_object": station_only})
                assert compare_metadata(context, tables.metadata) == []
            with engine.begin() as tx:
                assert db.get_setting(tx, "station_id") and db.get_setting(tx, "device_id")
                assert db.next_seqs(tx, 3) == 1 and db.next_seqs(tx, 2) == 4
        finally:
            engine.dispose()


@pytest.mark.parametrize("backend", station_backends())
def test_a_station_at_schema_2_upgrades_and_its_accounts_still_log_in(backend, tmp_path):
    from sqlalchemy import text

    from sync import migrating
    from sync.station import admin, auth

    with station_database(backend, tmp_path) as url:
        engine = db.make_engine(url)
        try:
            with engine.begin() as conn:
                migrating.upgrade(conn, db.MIGRATIONS, "0002")
                conn.execute(text("INSERT INTO station_login_failure (name, failures, last_ms, locked_until_ms) "
                                  "VALUES ('wang', 2, 0, 0)"))
            assert not db.is_ready(engine)
            db.migrate(engine)                                   # what `gridbook-station init` does
            assert db.is_ready(engine)
            with engine.begin() as conn:
                admin.add_user(conn, "test", "wang", "worker", ["420704100201-03"], "secret-123")
                done = auth.login(conn, "wang", "secret-123", "d" * 36, "laptop")
                assert done.account["name"] == "wang"
                assert auth.authenticate(conn, f"Bearer {done.token}").user == "wang"
                assert conn.execute(text("SELECT count(*) FROM station_login_failure")).scalar() == 0
        finally:
            engine.dispose()
