"""HTTP routes for cases, settings and reports; registered by app.create_app, thin like its own routes.

  GET /v1/incidents/inbox          open cases held at the caller's level (township/county accounts)
  GET /v1/incidents/{id}           one case: derived state, light, every step (superseded ones marked)
  GET /v1/settings/{name}          a setting (deadlines or colours) merged over its default
  PUT /v1/settings/{name}          replace it (township/county accounts); it syncs down to every device
  GET /v1/reports?start=&end=&unit=&format=json|csv|xlsx
  GET /v1/blobs/{sha256}           upload progress of a photo's bytes
  PUT /v1/blobs/{sha256}?offset=N  the next chunk (raw bytes); 409 + received if the offset is not what we hold
  GET /v1/blobs/{sha256}/data?offset=&limit=   bytes of a complete photo
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import orjson
from fastapi import FastAPI, Header, Query, Request
from fastapi.responses import Response
from sqlalchemy import Connection, Engine
from starlette.concurrency import run_in_threadpool

from sync import report_files

from . import auth, blobs, db, incidents, reports
from .errors import StationError
from .write_queue import WriteQueue

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _json(data) -> Response:
    return Response(orjson.dumps(data), media_type="application/json")


def add_routes(app: FastAPI, engine: Engine, writes: WriteQueue, dependencies: list,
               language: Callable[[Request], str]) -> None:
    @app.get("/v1/incidents/inbox", dependencies=dependencies, tags=["incidents"])
    def inbox(authorization: str | None = Header(None)):
        with db.reading(engine) as conn:
            caller = auth.authenticate(conn, authorization)
            auth.require_reviewer(caller)
            return _json({"cases": incidents.inbox(conn, caller.grids, caller.role)})

    @app.get("/v1/incidents/{incident_id}", dependencies=dependencies, tags=["incidents"])
    def case(incident_id: str, request: Request, authorization: str | None = Header(None)):
        with db.reading(engine) as conn:
            caller = auth.authenticate(conn, authorization)
            return _json(incidents.case(conn, caller.grids, incident_id, language(request)))

    @app.get("/v1/settings/{name}", dependencies=dependencies, tags=["incidents"])
    def get_setting(name: str, unit: str | None = None, authorization: str | None = Header(None)):
        with db.reading(engine) as conn:
            auth.authenticate(conn, authorization)
            found = incidents.load_settings(conn).for_unit(unit)
        if name not in found:
            raise StationError(404, "setting_unknown", name=name, choices=", ".join(found))
        return _json(found[name])

    @app.put("/v1/settings/{name}", dependencies=dependencies, tags=["incidents"])
    def put_setting(name: str, body: dict[str, Any], unit: str | None = None,
                    authorization: str | None = Header(None)):
        def put(conn: Connection) -> dict:
            caller = auth.authenticate(conn, authorization)
            auth.require_reviewer(caller)
            chosen = incidents.setting_unit(caller.role, caller.grids, unit)
            return incidents.put_setting(conn, caller.user, name, body, chosen)
        return _json(writes.call(put))

    @app.get("/v1/reports", dependencies=dependencies, tags=["incidents"])
    def report(request: Request, start: str | None = None, end: str | None = None, unit: str | None = None,
               format: Literal["json", "csv", "xlsx"] = Query("json"), authorization: str | None = Header(None)):
        with db.reading(engine) as conn:
            caller = auth.authenticate(conn, authorization)
            found = reports.report(conn, caller.grids, unit, start, end)
        if format == "csv":
            return Response(report_files.to_csv(found, language(request)).encode("utf-8"),
                            media_type="text/csv; charset=utf-8")
        if format == "xlsx":
            return Response(report_files.to_xlsx(found, language(request)), media_type=XLSX)
        return _json(found)

    @app.get("/v1/blobs/{sha256}", dependencies=dependencies, tags=["photos"])
    def blob_status(sha256: str, authorization: str | None = Header(None)):
        with db.reading(engine) as conn:
            caller = auth.authenticate(conn, authorization)
            return _json(blobs.status(conn, caller.grids, sha256))

    def _put(sha256: str, offset: int, data: bytes, authorization: str | None) -> dict:
        def put(conn: Connection) -> dict:
            caller = auth.authenticate(conn, authorization)
            return blobs.put_chunk(conn, caller.grids, sha256, offset, data)
        done = writes.call(put, weight=1 + len(data) // 16_384)
        if done.get("corrupt"):
            raise StationError(422, "blob_corrupt", extra={"received": 0})
        return done

    @app.put("/v1/blobs/{sha256}", dependencies=dependencies, tags=["photos"])
    async def blob_chunk(sha256: str, request: Request, offset: int = Query(..., ge=0),
                         authorization: str | None = Header(None)):
        data = await request.body()
        return _json(await run_in_threadpool(_put, sha256, offset, data, authorization))

    @app.get("/v1/blobs/{sha256}/data", dependencies=dependencies, tags=["photos"])
    def blob_data(sha256: str, offset: int = Query(0, ge=0),
                  limit: int = Query(blobs.MAX_CHUNK, ge=1, le=blobs.MAX_CHUNK),
                  authorization: str | None = Header(None)):
        with db.reading(engine) as conn:
            caller = auth.authenticate(conn, authorization)
            data = blobs.read(conn, caller.grids, sha256, offset, limit)
        return Response(data, media_type="application/octet-stream")
