"""The FastAPI app: JSON API under /api, HTML pages (one static shell + our own JS) elsewhere.

Routes live in routers by resource (eventwire/server/routes/: events, clusters, articles,
places (map and aggregates), meta, pages). Every HTML page has a JSON twin: /articles/{id} <->
/api/articles/{id}, and so on; `?format=json` on a page redirects to its twin, `?format=csv`
or `jsonl` to its download. The OpenAPI description is at /openapi.json, rendered (without
any CDN) at /docs.

Errors: the API answers JSON ({"detail": ...}); a page path answers the page shell with the
error status, and the page shows the error inside itself (with the filter bar and Reset).
Every response, errors and crashes included, carries the security headers.
"""
from __future__ import annotations

import atexit
import logging
import os
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from eventwire.server.db import DatabaseUnavailable, ReadOnlyDB
from eventwire.server.respond import ResponseCache
from eventwire.server.routes import articles, clusters, events, meta, pages, places
from eventwire.server.twin import STATIC_DIR, shell

log = logging.getLogger("eventwire.server")

MAX_QUERY_BYTES = 4096
MAX_PATH_BYTES = 2048

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
       "frame-ancestors 'none'; form-action 'self'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
API_PREFIXES = ("/api", "/openapi.json", "/static/")


# ---------------------------------------------------------------------------------------------
# ASGI middleware (outermost): size limits before anything is parsed, security headers on every
# response, and a JSON 500 (with those headers) for anything that escapes the app

class GuardMiddleware:
    def __init__(self, app) -> None:
        self.app = app

    @staticmethod
    def _problem(scope) -> tuple[int, str] | None:
        headers = dict(scope.get("headers") or [])
        if len(scope.get("query_string") or b"") > MAX_QUERY_BYTES:
            return 414, f"query string longer than {MAX_QUERY_BYTES} bytes"
        if len(scope.get("raw_path") or scope.get("path", "").encode()) > MAX_PATH_BYTES:
            return 414, f"path longer than {MAX_PATH_BYTES} bytes"
        if headers.get(b"transfer-encoding") or (headers.get(b"content-length") or b"0").strip() not in (b"0", b""):
            return 413, "this read-only API accepts no request body"
        if scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            return 405, "read-only: only GET and HEAD"
        return None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def send_with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                have = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in have]
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        problem = self._problem(scope)
        if problem:
            status, msg = problem
            resp = JSONResponse({"detail": msg}, status_code=status,
                                headers={"allow": "GET, HEAD"} if status == 405 else None)
            return await resp(scope, receive, send_with_headers)
        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            log.exception("internal error on %s", scope.get("path"))
            if started:                       # a download broke off: nothing more to send
                return
            resp = JSONResponse({"detail": "internal error (logged by the server)"}, status_code=500)
            await resp(scope, receive, send_with_headers)


# ---------------------------------------------------------------------------------------------
# error handlers

def _is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIXES)


async def _http_error(request: Request, exc: StarletteHTTPException):
    if not _is_api(request) and request.method in ("GET", "HEAD") and exc.status_code in (404, 422):
        return shell(exc.status_code)         # the page shows the error itself
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code,
                        headers=getattr(exc, "headers", None))


async def _invalid(request: Request, exc: RequestValidationError):
    detail = [{"loc": list(err.get("loc", [])), "msg": err.get("msg"), "type": err.get("type")}
              for err in exc.errors()]
    if not _is_api(request):
        return shell(422)
    return JSONResponse({"detail": detail}, status_code=422)


async def _db_unavailable(request: Request, exc: DatabaseUnavailable):
    return JSONResponse({"detail": str(exc)}, status_code=503, headers={"retry-after": "5"})


# ---------------------------------------------------------------------------------------------
# the app

class App(FastAPI):
    def build_middleware_stack(self):
        # the guard goes outermost, around Starlette's own error middleware: its 500s (and
        # anything else) get the security headers too
        return GuardMiddleware(super().build_middleware_stack())


def create_app(db_path: str | os.PathLike, idle_close: float = 30.0) -> FastAPI:
    """The web app over the DuckDB file at `db_path`, opened read-only."""
    db = ReadOnlyDB(db_path, idle_close=idle_close)
    atexit.register(db.close)

    @asynccontextmanager
    async def lifespan(app):
        yield
        db.close()

    app = App(
        lifespan=lifespan,
        title="eventwire",
        version=_version(),
        description=("Political events coded from news stories: who did what to whom, when, where "
                     "and on whose word. Read-only. Every field of an event is backed by a character "
                     "span of its article. 63-bit keys (event_key, cluster_id) are strings in JSON. "
                     "The list endpoints (events, clusters, articles) share one set of filters, "
                     "each taking several values (repeat it or separate with commas), and give "
                     "every matching row as CSV or JSON Lines with format=csv|jsonl."),
        docs_url=None, redoc_url=None,            # Swagger/ReDoc load from a CDN: /docs is ours
        openapi_tags=[{"name": "events"}, {"name": "articles"}, {"name": "clusters"},
                      {"name": "aggregates"}, {"name": "meta"}],
    )
    app.state.db = db
    app.state.responses = ResponseCache()
    app.add_exception_handler(DatabaseUnavailable, _db_unavailable)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for r in (events, clusters, articles, places, meta, pages):
        app.include_router(r.router)
    return app


def _version() -> str:
    try:
        from eventwire import __version__
        return str(__version__)
    except Exception:  # pragma: no cover
        return "0"
