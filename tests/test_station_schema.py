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
