"""The station's HTTP API (FastAPI): health, login, push, pull, conflicts, stats.

Routes are thin: each opens one transaction and calls the module that does the work.
Every refusal is JSON {"code", "message", ...} in the caller's language; nothing
unexpected becomes a 500 (it is logged and answered 503, retry later).
"""
from __future__ import annotations

import contextlib
import logging
from typing import Annotated, Any, Literal

import orjson
from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError, OperationalError
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware.gzip import GZipMiddleware

from sync import gc_tuning, protocol
from sync.protocol import Health, LoginReply, LoginRequest, PullPage, PushReply

from . import admin, auth, conflicts, db, device_routes, duty_routes, incident_routes, pull, push, push_plan, push_wire
from . import digest as station_digest
from .errors import StationError
from .http_body import BodyLimits, GzipRoute, too_large
from .planner import PlannerStatistics
from .settings import StationSettings
from .test_pause import PushPause
from .upstream_below import add_routes as add_below_routes
from .upstream_below import of as devices_below
from .upstream_conflicts import add_routes as add_upstream_routes
from .upstream_task import Forwarder
from .write_queue import DeviceTurns, WriteQueue
from .writer import audit

log = logging.getLogger("gridbook.station")


class DigestRequest(BaseModel):
    exclude: list[tuple[str, str]] = Field(default_factory=list, max_length=5000)


class WhereaboutsRequest(BaseModel):
    type: str = Field(max_length=20)
    ids: list[str] = Field(max_length=2000)


class ResolveRequest(BaseModel):
    take: Literal["local", "remote", "value", "merge"]
    value: Any = None


def language(request: Request) -> str:
    """en if Accept-Language prefers English, else zh_CN (the default)."""
    return "en" if request.headers.get("accept-language", "").strip().lower().startswith("en") else "zh_CN"


def check_versions(request: Request, x_gridbook_protocol: str | None = Header(None),
                   x_gridbook_schema: str | None = Header(None)) -> protocol.ClientVersion:
    """The caller's versions, if inside the station's window (sync.protocol); 426 otherwise."""
    found = protocol.ClientVersion.parse(x_gridbook_protocol, x_gridbook_schema)
    verdict = protocol.version_verdict(found)
    if verdict != "ok":
        raise StationError(426, verdict, protocol=x_gridbook_protocol or "?", schema=x_gridbook_schema or "?",
                           want_protocol=f"{protocol.MIN_PROTOCOL}–{protocol.PROTOCOL_VERSION}",
                           want_schema=f"{protocol.MIN_SCHEMA}–{protocol.SCHEMA_VERSION}",
                           extra={"protocol": protocol.PROTOCOL_VERSION, "schema": protocol.SCHEMA_VERSION,
                                  "min_protocol": protocol.MIN_PROTOCOL, "min_schema": protocol.MIN_SCHEMA})
    request.state.client = found
    return found


def create_app(db_url: str, settings: StationSettings | None = None) -> FastAPI:
    settings = settings or StationSettings()
    engine = db.make_engine(db_url)
    writes = WriteQueue(engine)
    forwarder = Forwarder(engine, writes, settings.upstream_interval, settings.upstream_backoff)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI):
        gc_tuning.settle(gc_tuning.STATION_YOUNG)     # everything the station keeps is loaded by now
        forwarder.start()                   # forwards to the upper station while one is linked
        yield
        await forwarder.stop()
        writes.close()                      # what is queued is written before the station stops

    app = FastAPI(title="Gridbook station", version=str(protocol.PROTOCOL_VERSION),
                  description="网格台账乡镇同步站 / the township sync station of Gridbook", lifespan=lifespan)
    app.router.route_class = GzipRoute
    app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=6)   # 9 cost 4x the CPU for 5% less
    app.state.engine, app.state.writes = engine, writes
    app.state.body_limits = BodyLimits(idle=settings.body_idle, deadline=settings.body_deadline)
    _handlers(app)
    _routes(app, engine, writes, settings)
    incident_routes.add_routes(app, engine, writes, [Depends(check_versions)], language)
    device_routes.add_routes(app, engine, [Depends(check_versions)])
    duty_routes.add_routes(app, engine, [Depends(check_versions)])
    add_upstream_routes(app, writes, [Depends(check_versions)])
    add_below_routes(app, writes, [Depends(check_versions)])
    _document_push_body(app)
    return app


def _document_push_body(app: FastAPI) -> None:
    """The push route reads its body with msgspec (push_wire); its schema is still PushBatch's."""
    made = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = made()
            body = push_wire.body_schema()
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.update(body.pop("$defs", {}))
            components["PushBatch"] = body
            return schema
        return app.openapi_schema
    app.openapi = openapi  # type: ignore[method-assign]


def _json(data, status: int = 200) -> Response:
    return Response(orjson.dumps(data), status_code=status, media_type="application/json")


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(StationError)
    async def station_error(request: Request, exc: StationError):
        return JSONResponse(exc.body(language(request)), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            error = StationError(400, "malformed", detail="JSON")
        elif any(e.get("type") == "too_long" and "changes" in e.get("loc", ()) for e in errors):
            error = too_large()
        else:
            detail = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in errors[:5])
            error = StationError(422, "malformed", detail=detail)
        return await station_error(request, error)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        code = "not_found_path" if exc.status_code in (404, 405) else "malformed"
        error = StationError(exc.status_code, code, detail=str(exc.detail))
        return await station_error(request, error)

    @app.exception_handler(DBAPIError)
    async def database_error(request: Request, exc: DBAPIError):
        if isinstance(exc, OperationalError) or exc.connection_invalidated:
            log.warning("database unavailable: %s", exc.orig)
            return await station_error(request, StationError(503, "unavailable", headers={"Retry-After": "30"}))
        return await unexpected(request, exc)

    # Starlette answers with this handler, then re-raises so the server logs the traceback.
    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        log.error("unexpected error on %s %s: %r", request.method, request.url.path, exc)
        return await station_error(request, StationError(503, "internal", headers={"Retry-After": "30"}))


def _routes(app: FastAPI, engine: Engine, writes: WriteQueue, settings: StationSettings) -> None:
    versioned = [Depends(check_versions)]
    passwords = auth.Passwords.from_settings(settings)
    pause = PushPause(settings.test_push_pause) if settings.test_push_pause else None

    @app.get("/health", response_model=Health, tags=["station"])
    def health():
        try:
            with db.reading(engine) as conn:
                conn.execute(text("SELECT 1"))
                station_id = db.get_setting(conn, "station_id")
        except DBAPIError as exc:
            log.warning("health: database unreachable: %s", exc.orig)
            return _json({"status": "degraded", "protocol": protocol.PROTOCOL_VERSION,
                          "schema": protocol.SCHEMA_VERSION, "time_ms": db.now_ms(), "station_id": ""}, 503)
        return _json({"status": "ok", "protocol": protocol.PROTOCOL_VERSION, "schema": protocol.SCHEMA_VERSION,
                      "min_protocol": protocol.MIN_PROTOCOL, "min_schema": protocol.MIN_SCHEMA,
                      "time_ms": db.now_ms(), "station_id": station_id})

    def login_reply(conn: Connection, device_id: str, done: auth.LoginResult) -> Response:
        account = done.account
        return _json({"token": done.token, "user": account["name"], "role": account["role"],
                      "grids": account["grids"], "station_id": db.get_setting(conn, "station_id"),
                      "device_id": device_id, "device_secret": done.device_secret, "acked": done.acked})

    @app.post("/v1/login", response_model=LoginReply, tags=["sync"])
    async def login(body: LoginRequest, client: Annotated[protocol.ClientVersion, Depends(check_versions)]):
        def check() -> bool | None:           # argon2 on a worker thread, no connection held meanwhile
            with db.reading(engine) as conn:
                stored = auth.stored_hash(conn, body.user, body.device_id, body.device_secret)
            return auth.verify_password(stored, body.password, passwords)

        verified = await run_in_threadpool(check)

        def finish(conn: Connection) -> Response | StationError:
            try:
                done = auth.finish_login(conn, body.user, verified, body.device_id, body.device_name, passwords,
                                         body.device_secret, legacy=client.protocol < 2,
                                         continues_after=body.continues_after)
            except StationError as exc:      # failed attempts are written, and must be committed
                return exc
            return login_reply(conn, body.device_id, done)

        answer = await writes.run(finish, urgent=True)
        if isinstance(answer, StationError):
            raise answer
        return answer

    @app.post("/v1/devices/fork", response_model=LoginReply, dependencies=versioned, tags=["sync"])
    def fork_device(body: protocol.ForkRequest, authorization: str | None = Header(None)):
        def fork(conn: Connection) -> Response:
            caller = auth.authenticate(conn, authorization)
            done = auth.fork(conn, caller, body.device_id, body.after, body.device_name)
            audit(conn, [{"user_name": caller.user, "device_id": caller.device_id, "action": "device_fork",
                          "detail": {"new_device": body.device_id, "after": body.after}}])
            log.info("device %s of %s forked as %s after %d", caller.device_id, caller.user, body.device_id,
                     body.after)
            return login_reply(conn, body.device_id, done)
        return writes.call(fork, urgent=True)

    statistics = PlannerStatistics(engine)
    turns = DeviceTurns()

    @app.post("/v1/push", response_model=PushReply, dependencies=versioned, tags=["sync"],
              openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                  "schema": {"$ref": "#/components/schemas/PushBatch"}}}}})
    async def push_batch(request: Request, authorization: str | None = Header(None)):
        lang = language(request)

        def caller_device() -> tuple[str, int]:
            with db.reading(engine) as conn:
                caller = auth.authenticate(conn, authorization)
                return caller.device_id, db.device_acked(conn, caller.device_id)

        # the token first: a request nobody may make is refused before its body is read or parsed
        device, acked = await run_in_threadpool(caller_device)
        body = await request.body()

        def prepare() -> push_plan.Prepared:     # decoding and validation, off the writer
            return push.prepare(push_wire.decode(body), device)

        prepared = await run_in_threadpool(prepare)
        batch = prepared.batch
        if request.headers.get(protocol.BEHIND_HEADER) == str(batch.first - 1):
            await turns.after(prepared.device, batch.first - 1, acked)     # overtaken on the way: wait for it

        def apply(conn: Connection) -> PushReply:
            caller = auth.authenticate(conn, authorization)      # again: revoked or renewed meanwhile
            reply = push.apply_batch(conn, caller, batch, lang, prepared=prepared)
            if pause is not None:
                pause.hold()                # tests only: written, not yet committed
            return reply

        written = writes.run(apply, weight=len(batch.changes))
        turns.queued(prepared.device, batch.last)
        reply = await written
        answer = _json(reply.model_dump())
        if reply.applied and statistics.needed:   # after the answer has gone: the laptop need not wait for an ANALYZE
            answer.background = BackgroundTask(_refresh_statistics)
        return answer

    def _refresh_statistics() -> None:
        try:
            statistics.after_push()
        except DBAPIError as exc:          # the batch is committed: statistics can wait for next time
            log.warning("planner statistics not refreshed: %s", exc.orig)

    @app.get("/v1/pull", response_model=PullPage, dependencies=versioned, tags=["sync"])
    def pull_page(cursor: int = Query(0, ge=0, le=2**63 - 1), limit: int = Query(protocol.DEFAULT_PAGE, ge=1),
                  authorization: str | None = Header(None)):
        with db.reading(engine) as conn:
            caller = auth.authenticate(conn, authorization)
            page = pull.pull_page(conn, caller.grids, caller.device_id, cursor, limit, devices_below(conn, caller))
            page["acked"] = db.device_acked(conn, caller.device_id)
            return _json(page)

    @app.post("/v1/digest", dependencies=versioned, tags=["sync"])
    def digest_of_scope(body: DigestRequest, authorization: str | None = Header(None)):
        """Count and digest per record type of the caller's scope, for the laptop's end-of-sync check."""
        with db.reading(engine) as conn:
            caller = auth.authenticate(conn, authorization)
            exclude = {(t, i) for t, i in body.exclude}
            return _json({"types": station_digest.tally(conn, caller.grids, exclude), "grids": caller.grids})

    @app.post("/v1/whereabouts", dependencies=versioned, tags=["sync"])
    def whereabouts(body: WhereaboutsRequest, authorization: str | None = Header(None)):
        """Where records the caller holds went when they left its scope (the one field that places each)."""
        with db.reading(engine) as conn:
            caller = auth.authenticate(conn, authorization)
            return _json({"rows": station_digest.whereabouts(conn, caller.grids, body.type, body.ids)})

    @app.get("/v1/conflicts", dependencies=versioned, tags=["review"])
    def list_conflicts(all: bool = False, offset: int = Query(0, ge=0, le=2**62),
                       limit: int = Query(conflicts.PAGE, ge=1, le=conflicts.MAX_PAGE),
                       authorization: str | None = Header(None)):
        with db.reading(engine) as conn:
            caller = auth.authenticate(conn, authorization)
            auth.require_reviewer(caller)
            page = conflicts.list_conflicts(conn, caller.grids, include_resolved=all, limit=limit, offset=offset)
            total = conflicts.count_conflicts(conn, caller.grids, include_resolved=all)
            return _json({"conflicts": page, "total": total, "offset": offset, "limit": limit})

    @app.post("/v1/conflicts/{conflict_id}/resolve", dependencies=versioned, tags=["review"])
    def resolve_conflict(conflict_id: int, body: ResolveRequest, authorization: str | None = Header(None)):
        if not 0 < conflict_id < 2**63:      # beyond the database's integers: no such conflict (was a 503)
            raise StationError(404, "conflict_missing", id=conflict_id)
        def resolve(conn: Connection) -> dict:
            caller = auth.authenticate(conn, authorization)
            auth.require_reviewer(caller)
            return conflicts.resolve(conn, caller.user, conflict_id, body.take, body.value,
                                     prefixes=caller.grids, device_id=caller.device_id)
        return _json(writes.call(resolve))

    @app.get("/v1/stats", dependencies=versioned, tags=["review"])
    def stats(authorization: str | None = Header(None)):
        with db.reading(engine) as conn:
            caller = auth.authenticate(conn, authorization)
            return _json(admin.stats(conn, caller.grids))
