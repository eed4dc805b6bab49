"""/api/meta, /api/health and the endpoint index."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from eventwire.server import models as M
from eventwire.server import queries as Q
from eventwire.server.db import ReadOnlyDB
from eventwire.server.params import strict_query
from eventwire.server.respond import json_answer
from eventwire.server.routes import get_db
from eventwire.server.world import country_names

router = APIRouter(prefix="/api", tags=["meta"], dependencies=[Depends(strict_query)])
DB = Annotated[ReadOnlyDB, Depends(get_db)]


@router.get("/meta", responses=M.doc(M.Meta), summary="Counts, date bounds and the values filters take")
def meta(request: Request):
    def compute(cur):
        out = Q.meta(cur)
        names = country_names()
        for c in out["countries"]:
            c["name"] = names.get(c["key"], c["key"])
        return out
    return json_answer(request, compute)


@router.get("/health", responses=M.doc(M.Health), summary="Liveness and the database's row counts")
def health(db: DB):
    with db.cursor() as cur:
        n = {t: cur.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
             for t in ("articles", "events", "clusters")}
    return {"ok": True, "db": db.name, **n}


@router.get("", summary="The API's endpoints")
def index(request: Request):
    return {"openapi": "/openapi.json", "docs": "/docs",
            "endpoints": sorted(request.app.openapi().get("paths", {}))}
