"""The HTML pages: one static shell each, tied to its JSON twin (see eventwire.server.twin)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse

from eventwire.server import queries as Q
from eventwire.server.db import ReadOnlyDB
from eventwire.server.params import path_key
from eventwire.server.routes import get_db
from eventwire.server.twin import STATIC_DIR, page

router = APIRouter(include_in_schema=False)
DB = Annotated[ReadOnlyDB, Depends(get_db)]
GET_HEAD = ["GET", "HEAD"]


def _detail_page(request: Request, db: ReadOnlyDB, twin: str, format: str | None, sql: str, key) -> object:
    """The page of one resource: 404 (still the shell, which says so) when `sql` finds no row."""
    with db.cursor() as cur:
        found = cur.execute(sql, [key]).fetchone() is not None
    return page(request, twin, 200 if found else 404, format)


@router.api_route("/", methods=GET_HEAD)
def home(request: Request, format: str | None = None):
    return page(request, "/api/events", format=format, listing=True)


@router.api_route("/articles", methods=GET_HEAD)
def articles_page(request: Request, format: str | None = None):
    return page(request, "/api/articles", format=format, listing=True)


@router.api_route("/clusters", methods=GET_HEAD)
def clusters_page(request: Request, format: str | None = None):
    return page(request, "/api/clusters", format=format, listing=True)


@router.api_route("/events/{event_key}", methods=GET_HEAD)
def event_page(request: Request, db: DB, event_key: str, format: str | None = None):
    key = path_key("event_key", event_key)
    return _detail_page(request, db, f"/api/events/{key}", format, "SELECT 1 FROM events WHERE event_key = ?", key)


@router.api_route("/articles/{article_id:path}", methods=GET_HEAD)
def article_page(request: Request, db: DB, article_id: str, format: str | None = None):
    return _detail_page(request, db, "/api" + Q.article_link(article_id), format,
                        "SELECT 1 FROM articles WHERE id = ?", article_id)


@router.api_route("/clusters/{cluster_id}", methods=GET_HEAD)
def cluster_page(request: Request, db: DB, cluster_id: str, format: str | None = None):
    cid = path_key("cluster_id", cluster_id)
    return _detail_page(request, db, f"/api/clusters/{cid}", format, "SELECT 1 FROM clusters WHERE cluster_id = ?", cid)


@router.api_route("/docs", methods=GET_HEAD)
def docs_page(request: Request, format: str | None = None):
    return page(request, "/openapi.json", format=format)


@router.get("/favicon.ico")
def favicon():
    return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml")
