"""The WAL goes back into the data file on a thread of its own, not inside the commit that crossed the limit.

Real files: the laptop's encrypted store and the station's SQLite database."""
from __future__ import annotations

import os

from sqlalchemy import text

from sync import wal_checkpoints
from sync.sqlite_engine import checkpoints
from sync.station import db as station_db

from .conftest import GRID


def _residents(n: int) -> list[dict]:
    return [{"name": f"居民{i}", "residence": "registered", "notes": "备注" * 40} for i in range(n)]


def _copied_whole(engine) -> bool:
    raw = engine.raw_connection()
    try:
        ((_busy, pages, copied),) = raw.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    finally:
        raw.close()
    return pages == copied


def test_a_large_write_reaches_the_data_file_in_the_background_while_the_store_stays_open(store):
    with store.reading() as conn:
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0   # no commit copies the log itself
    before = os.path.getsize(store.path)
    household = store.put("household", {"grid_code": GRID, "address": "幸福村1组1号", "head_name": "居民0"})
    store.put_many("person", [{**r, "household_id": household} for r in _residents(6000)])
    assert os.path.getsize(f"{store.path}-wal") > wal_checkpoints.LIMIT_BYTES
    background = checkpoints(store.engine)
    assert background is not None and background.wait(30)
    assert background.runs >= 1
    assert os.path.getsize(store.path) > before + wal_checkpoints.LIMIT_BYTES      # the pages are in the file now
    assert store.count("person") == 6000
    # once copied whole, reads do not start the same checkpoint again and again
    runs = background.runs
    for _ in range(5):
        assert store.count("person") == 6000
    background.wait(30)
    assert background.runs == runs
    # the next write starts the log over, cut back to the limit
    store.put("person", {"name": "又一位", "residence": "registered", "household_id": household})
    assert os.path.getsize(f"{store.path}-wal") <= wal_checkpoints.LIMIT_BYTES
    assert _copied_whole(store.engine) or background.wait(30)


def test_the_station_database_checkpoints_in_the_background_too(tmp_path):
    path = tmp_path / "station.sqlite3"
    engine = station_db.make_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE pushed (body TEXT)"))
            conn.execute(text("INSERT INTO pushed VALUES (:b)"), [{"b": "变更" * 300}] * 5000)
        background = checkpoints(engine)
        assert background is not None and background.wait(30) and background.runs >= 1
        assert os.path.getsize(path) > wal_checkpoints.LIMIT_BYTES and _copied_whole(engine)
    finally:
        engine.dispose()
