"""Records written as an older build wrote them: only the columns its file has (for upgrade tests).

Store.put writes every column of today's record definitions, which an older schema lacks;
these tests need the rows an older release left behind instead.
"""
from __future__ import annotations

import orjson

from desktop.store import Store
from sync import records
from sync.ids import new_id


def put(store: Store, record_type: str, values: dict) -> str:
    """Insert one record with its defaults, leaving out what the file's table does not have; its key."""
    key = records.key_field(record_type)
    row = {key: values.get(key) or new_id(), "clocks": {}, "deleted": False, "tags": [],
           "residence": "registered", **values}
    with store.atomic() as conn:
        columns = {r[1] for r in conn.exec_driver_sql(f"PRAGMA table_info({record_type})")}
        row = {k: (orjson.dumps(v).decode() if isinstance(v, (dict, list)) else v) for k, v in row.items()
               if k in columns}
        names = ", ".join(row)
        conn.exec_driver_sql(f"INSERT INTO {record_type} ({names}) VALUES ({', '.join('?' * len(row))})",
                             tuple(row.values()))
    return row[key]
