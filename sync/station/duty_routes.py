"""HTTP routes of the duty cycle; registered by app.create_app, thin like its own routes.

  GET /v1/assessments?period=2026-Q1[&worker=NAME]   the workers' sheets in the caller's scope (a worker: its own)
"""
from __future__ import annotations

import orjson
from fastapi import FastAPI, Header
from fastapi.responses import Response
from sqlalchemy import Engine

from . import assessments, auth, db


def add_routes(app: FastAPI, engine: Engine, dependencies: list) -> None:
    @app.get("/v1/assessments", dependencies=dependencies, tags=["duty"])
    def assessment_sheets(period: str, worker: str | None = None, authorization: str | None = Header(None)):
        with db.reading(engine) as conn:
            caller = auth.authenticate(conn, authorization)
            only = caller.user if caller.role == "worker" else worker      # a worker sees its own sheet only
            found = assessments.sheets(conn, caller.grids, period, only)
        return Response(orjson.dumps({"sheets": found}), media_type="application/json")
