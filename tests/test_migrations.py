"""Opening a file made by an older schema backs it up, migrates it and keeps every row."""

from desktop import paths
from desktop.store import open_store
from desktop.store.engine import SCHEMA_HEAD, current_revision, head_revision
from tests.support import keyed


def make_schema1_file(data_dir):
    """A data file as a build with schema 1 (no search index) left it, rows included."""
    old = open_store(data_dir, revision="0001")
    old.engine.dispose()
    with keyed.connect(paths.data_file(data_dir)) as raw:
        raw.execute("INSERT INTO grid(code, name, level, clocks, deleted) VALUES "
                    "('420704100201-03', '幸福村第三网格', 'grid', '{}', 0)")
        raw.execute("INSERT INTO household(id, grid_code, address, head_name, head_id_number, tags, clocks, deleted) "
                    "VALUES ('01a20009-3cb1-7bd2-a99e-aca0551ed5ac', '420704100201-03', '幸福村3组12号', '张三', "
                    "'11010519491231002X', '[]', '{}', 0)")
        raw.execute("INSERT INTO change_log(device_id, record_type, record_id, op, fields, base, hlc, state) "
                    "VALUES ('d', 'household', '01a20009-3cb1-7bd2-a99e-aca0551ed5ac', 'put', '{}', '{}', 1, "
                    "'pending')")
    return old.device_id


def test_an_old_file_is_backed_up_then_migrated_with_every_row(data_dir):
    device = make_schema1_file(data_dir)
    store = open_store(data_dir)
    assert current_revision(store.engine) == head_revision()
    assert store.device_id == device
    assert [r["head_name"] for r in store.list("household")] == ["张三"]
    assert [r["label"] for r in store.search("zs")] == ["张三"]      # the new index was backfilled
    backups = list(paths.backup_dir(data_dir).glob("*.sqlite3"))
    assert len(backups) == 1
    with keyed.connect(backups[0], data_dir) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert raw.execute("SELECT count(*) FROM household").fetchone() == (1,)


def test_a_current_file_is_opened_without_a_backup(data_dir):
    open_store(data_dir).engine.dispose()
    open_store(data_dir).engine.dispose()
    assert list(paths.backup_dir(data_dir).glob("*.sqlite3")) == []


def test_the_named_schema_head_is_alembics_head():
    assert head_revision() == SCHEMA_HEAD       # a new migration must update SCHEMA_HEAD too


def test_the_migrations_build_the_record_tables_of_sync_records(store):
    """Every record table, column and index the code writes (sync/records.py) is what the migrations made."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from sync import records

    names = {records.record_table(t).name for t in records.RECORD_TYPES}
    # the data file's own: a resident's grid, kept by triggers, never synced (client schema 8)
    local_only = {("person", "grid_code"), ("person", "ix_person_grid_live")}

    def record_tables(obj, name, type_, _reflected, _compare_to):
        table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
        return table in names and (table, name) not in local_only

    with store.reading() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": record_tables})
        assert compare_metadata(context, records.record_table("grid").metadata) == []
