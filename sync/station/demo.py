"""`make station`: a demo station on loopback with a demo hierarchy, a township admin and a worker.

    python -m sync.station.demo [--port 8470] [--data DIR]

The data lives in a SQLite file under DIR (default: the "demo" folder of the station's
user data folder), so a second run finds the same records and the same accounts.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import platformdirs

from . import admin, db

# The demo hierarchy, also the tests' (tests/station_support.py): Ezhou city, Echeng
# district, two townships, three villages, five grids.
DEMO_GRIDS: list[dict] = [
    {"code": "420700", "name": "鄂州市", "level": "city", "parent_code": None},
    {"code": "420704", "name": "鄂城区", "level": "county", "parent_code": "420700"},
    {"code": "420704100", "name": "汀祖镇", "level": "township", "parent_code": "420704"},
    {"code": "420704100201", "name": "幸福村", "level": "village", "parent_code": "420704100"},
    {"code": "420704100201-01", "name": "幸福村第一网格", "level": "grid", "parent_code": "420704100201"},
    {"code": "420704100201-02", "name": "幸福村第二网格", "level": "grid", "parent_code": "420704100201"},
    {"code": "420704100201-03", "name": "幸福村第三网格", "level": "grid", "parent_code": "420704100201"},
    {"code": "420704100202", "name": "和平村", "level": "village", "parent_code": "420704100"},
    {"code": "420704100202-01", "name": "和平村第一网格", "level": "grid", "parent_code": "420704100202"},
    # a second township of the same county, outside the first township's scope
    {"code": "420704101", "name": "碧石渡镇", "level": "township", "parent_code": "420704"},
    {"code": "420704101201", "name": "红星村", "level": "village", "parent_code": "420704101"},
    {"code": "420704101201-01", "name": "红星村第一网格", "level": "grid", "parent_code": "420704101201"},
]
# Loopback only, printed on start: these are for trying the program, not for real data.
DEMO_ACCOUNTS = [
    ("admin", "township", ["420704100"], "demo-admin-2024"),
    ("worker", "worker", ["420704100201-03"], "demo-worker-2024"),
]


def prepare(url: str) -> None:
    """Create or migrate the database, import the demo grids, add the demo accounts if missing."""
    engine = db.make_engine(url)
    try:
        db.migrate(engine)
        with engine.begin() as conn:
            admin.import_grids(conn, "demo", DEMO_GRIDS)
            existing = {u["name"] for u in admin.list_users(conn)}
            for name, role, grids, password in DEMO_ACCOUNTS:
                if name not in existing:
                    admin.add_user(conn, "demo", name, role, grids, password)
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sync.station.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8470)
    parser.add_argument("--data", help="folder of the demo database")
    args = parser.parse_args(argv)
    folder = Path(args.data or Path(platformdirs.user_data_dir("GridbookStation", appauthor=False)) / "demo")
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / db.DB_FILE}"
    prepare(url)
    station = f"http://127.0.0.1:{args.port}"
    print(f"网格台账演示乡镇站 / Gridbook demo station: {station}   (API docs: {station}/docs)")
    print(f"database: {url}")
    for name, role, grids, password in DEMO_ACCOUNTS:
        print(f"  {role:9} {name:7} password {password}   grids {','.join(grids)}")
    worker = DEMO_ACCOUNTS[1]
    print("\nlog a laptop in with:")
    print(f"  echo {worker[3]} | gridbook-cli login --station {station} --user {worker[0]} --password-stdin")
    print("then: gridbook-cli sync        (Ctrl+C stops the station)\n", flush=True)
    import uvicorn

    from .app import create_app
    from .settings import StationSettings
    uvicorn.run(create_app(url, StationSettings()), host="127.0.0.1", port=args.port, log_level="info")


if __name__ == "__main__":
    main()
