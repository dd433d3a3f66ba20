"""Real clients for the end-to-end sync tests: a data folder, its store and a sync engine each."""
from __future__ import annotations

import contextlib
import io

from desktop.cli import main as cli_main
from desktop.store import open_store, replication
from desktop.syncing import SyncEngine
from desktop.syncing.push import batch_message
from sync import messages, records

PASSWORD = "correct horse 12"
SYNCED_TYPES = tuple(t for t in records.RECORD_TYPES if t != "grid")


class Client:
    """One laptop: its own data folder, device id, change log and engine."""

    def __init__(self, folder, retries: int = 3, backoff: float = 0.02, batch_size: int = 500):
        self.folder = folder
        self.store = open_store(folder)
        self.engine = SyncEngine(self.store, retries=retries, backoff=backoff, batch_size=batch_size)

    @property
    def device_id(self) -> str:
        return self.store.device_id

    def login(self, url: str, user: str, password: str = PASSWORD) -> dict:
        return self.engine.login(url, user, password)

    def sync(self):
        return self.engine.sync()

    def put(self, record_type: str, values: dict) -> str:
        return self.store.put(record_type, values)

    def pending(self) -> int:
        return replication.pending_count(self.store)

    def acked(self) -> int:
        return replication.acked_seq(self.store)

    def snapshot(self, types=SYNCED_TYPES) -> dict:
        """Every record (tombstones too) by (type, id): canonical fields and `deleted`, no stamps."""
        out = {}
        for record_type in types:
            for row in self.store.list(record_type, include_deleted=True):
                key = row[records.key_field(record_type)]
                out[(record_type, key)] = {f: row[f] for f in (*records.fields_of(record_type), "deleted")}
        return out

    def cli(self, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
        """gridbook-cli in this process, on this data folder."""
        out, err = io.StringIO(), io.StringIO()
        language = messages.language()             # --lang sets it for the whole process
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), _stdin(stdin):
                code = cli_main(["--data", str(self.folder), *args])
        finally:
            messages.set_language(language)
        return code, out.getvalue(), err.getvalue()

    def push_raw(self, first: int, last: int):
        """A batch the engine once sent (or will send), crafted by hand and posted with its session."""
        batch = replication.next_batch(self.store, last - first + 1, after=first - 1)
        return self.engine.call("POST", "/v1/push", json_body=batch_message(self.device_id, batch),
                                expect=(200, 409))

    def close(self) -> None:
        self.engine.session.close()
        self.store.engine.dispose()


@contextlib.contextmanager
def _stdin(text: str | None):
    import sys
    if text is None:
        yield
        return
    saved, sys.stdin = sys.stdin, io.StringIO(text)
    try:
        yield
    finally:
        sys.stdin = saved


# -- the station side ------------------------------------------------------------------------
GRID = "420704100201-03"          # a worker's grid among station_support.DEMO_GRIDS
OTHER_GRID = "420704100201-01"
VILLAGE = "420704100201"
TOWNSHIP = "420704100"


_names = iter(range(1, 1_000_000))


def new_user(station, role: str = "worker", grids=(GRID,)) -> str:
    """A fresh account, so tests sharing one station never see each other's devices."""
    name = f"{role[0]}{next(_names)}"
    station.add_user(name, PASSWORD, role=role, grids=grids)
    return name


def local_grids(client: Client, *codes: str) -> None:
    """The stand-ins a laptop makes for its grids before it has ever reached the station."""
    client.put("grid", {"code": VILLAGE, "name": "幸福村", "level": "village"})
    for code in codes or (GRID,):
        client.put("grid", {"code": code, "name": f"网格{code[-2:]}", "level": "grid", "parent_code": VILLAGE})


def household(n: int = 0, grid: str = GRID, **fields) -> dict:
    return {"grid_code": grid, "address": f"幸福村3组{n}号", "head_name": f"户主{n}", **fields}


def station_records(station, record_type: str, ids) -> dict:
    """Rows of the station's own database, by id: canonical fields and `deleted`."""
    from sqlalchemy import select
    table = records.record_table(record_type)
    engine = station.engine()
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(table).where(table.c.id.in_(list(ids)))).mappings().all()
    finally:
        engine.dispose()
    return {r["id"]: {f: r[f] for f in (*records.fields_of(record_type), "deleted")} for r in rows}


def station_applied(station, device_id: str) -> list[int]:
    """The change sequences of one device the station applied, one entry per application (audit trail)."""

    from sync.station.writer import push_audit
    engine = station.engine()
    try:
        with engine.connect() as conn:
            rows = push_audit(conn, device_id)
    finally:
        engine.dispose()
    return sorted(r["seq"] for r in rows)
