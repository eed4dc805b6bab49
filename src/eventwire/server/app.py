"""The FastAPI app: JSON API under /api, HTML pages (one static shell + our own JS) elsewhere.

Every HTML page has a JSON twin: /articles/{id} <-> /api/articles/{id}, and so on; adding
`?format=json` to a page's URL redirects to its twin. The OpenAPI description is at
/openapi.json, rendered (without any CDN) at /docs.
"""
from __future__ import annotations

import atexit
import os
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Path as PathParam, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from eventwire.server import queries as Q
from eventwire.server.db import DatabaseUnavailable, ReadOnlyDB
from eventwire.server.world import country_names, world_geojson_bytes

STATIC_DIR = Path(__file__).resolve().parent / "static"
SHELL = STATIC_DIR / "index.html"

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


# ---------------------------------------------------------------------------------------------
# ASGI middleware: size limits before anything is parsed, security headers on every response

class GuardMiddleware:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        problem = None
        if len(scope.get("query_string") or b"") > MAX_QUERY_BYTES:
            problem = (414, f"query string longer than {MAX_QUERY_BYTES} bytes")
        elif len((scope.get("raw_path") or scope.get("path", "").encode())) > MAX_PATH_BYTES:
            problem = (414, f"path longer than {MAX_PATH_BYTES} bytes")
        elif headers.get(b"transfer-encoding") or (headers.get(b"content-length") or b"0").strip() not in (b"0", b""):
            problem = (413, "this read-only API accepts no request body")
        elif scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            problem = (405, "read-only: only GET and HEAD")

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                have = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in have]
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        if problem:
            status, msg = problem
            resp = JSONResponse({"detail": msg}, status_code=status,
                                headers={"allow": "GET, HEAD"} if status == 405 else None)
            return await resp(scope, receive, send_with_headers)
        return await self.app(scope, receive, send_with_headers)


# ---------------------------------------------------------------------------------------------
# parameters

def bad(name: str, msg: str, status: int = 422) -> HTTPException:
    return HTTPException(status_code=status,
                         detail=[{"loc": ["query", name], "msg": msg, "type": "value_error"}])


_allowed_cache: dict[int, set[str]] = {}


def strict_query(request: Request) -> None:
    """Unknown query parameters are an error, not silently ignored (a typo'd filter would
    otherwise return everything)."""
    route = request.scope.get("route")
    if route is None or not hasattr(route, "dependant"):
        return
    allowed = _allowed_cache.get(id(route))
    if allowed is None:
        from fastapi.dependencies.utils import get_flat_params
        allowed = {f.alias for f in get_flat_params(route.dependant)}
        _allowed_cache[id(route)] = allowed
    unknown = sorted({k for k in request.query_params.keys() if k not in allowed})
    if unknown:
        raise bad(unknown[0], f"unknown parameter(s): {', '.join(unknown)}; "
                              f"this endpoint takes: {', '.join(sorted(allowed)) or 'none'}")


ListParam = Annotated[list[str] | None, Query()]


def event_filter(
    type: Annotated[list[str] | None, Query(description=f"Event type(s), repeat or comma-separate: {', '.join(Q.TYPES)}")] = None,
    mode: Annotated[list[str] | None, Query(description="Mode(s) (sub-type, e.g. 'airstrike')")] = None,
    status: Annotated[list[str] | None, Query(description=f"Status(es): {', '.join(Q.STATUSES)}")] = None,
    country: Annotated[list[str] | None, Query(description="ISO3 country of any actor, recipient or of the place")] = None,
    actor_country: Annotated[list[str] | None, Query(description="ISO3 country of an actor (the 'who')")] = None,
    recipient_country: Annotated[list[str] | None, Query(description="ISO3 country of a recipient (the 'whom')")] = None,
    location_country: Annotated[list[str] | None, Query(description="ISO3 country of the event's place")] = None,
    place: Annotated[str | None, Query(description="Place name (exact, any case) or GeoNames id")] = None,
    date_from: Annotated[str | None, Query(description="Event date on or after YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, Query(description="Event date on or before YYYY-MM-DD")] = None,
    published_from: Annotated[str | None, Query(description="Article published on or after YYYY-MM-DD")] = None,
    published_to: Annotated[str | None, Query(description="Article published on or before YYYY-MM-DD")] = None,
    q: Annotated[str | None, Query(description="Text (any case) in the trigger, actors, recipients, place, article title or article text", max_length=Q.MAX_TEXT)] = None,
    trigger: Annotated[str | None, Query(description="Text (any case) in the trigger only", max_length=Q.MAX_TEXT)] = None,
    article: Annotated[str | None, Query(description="Only the events of this article id", max_length=1000)] = None,
    cluster: Annotated[str | None, Query(description="Only the events of this cluster id")] = None,
    has_location: Annotated[bool | None, Query(description="Only events with (true) / without (false) coordinates")] = None,
) -> Q.EventFilter:
    try:
        f = Q.EventFilter(
            types=Q.enum_values("type", type, Q.TYPES, upper=True),
            modes=Q.split_values("mode", mode),
            statuses=Q.enum_values("status", status, Q.STATUSES, upper=False),
            countries=Q.country_values("country", country),
            actor_countries=Q.country_values("actor_country", actor_country),
            recipient_countries=Q.country_values("recipient_country", recipient_country),
            location_countries=Q.country_values("location_country", location_country),
            place=Q.text_value("place", place),
            date_from=Q.date_value("date_from", date_from),
            date_to=Q.date_value("date_to", date_to),
            published_from=Q.date_value("published_from", published_from),
            published_to=Q.date_value("published_to", published_to),
            q=Q.text_value("q", q),
            trigger=Q.text_value("trigger", trigger),
            article_id=article if article else None,
            cluster_id=Q.parse_key("cluster", cluster) if cluster else None,
            has_location=has_location,
        )
        Q.check_range("date_from", f.date_from, "date_to", f.date_to)
        Q.check_range("published_from", f.published_from, "published_to", f.published_to)
    except Q.BadParameter as e:
        raise bad(e.name, e.msg) from None
    return f


Limit = Annotated[int, Query(ge=1, le=Q.MAX_PAGE, description=f"Page size (1-{Q.MAX_PAGE})")]
Offset = Annotated[int, Query(ge=0, le=Q.MAX_OFFSET, description="Rows to skip")]


def sort_of(name, value, allowed, default, tiebreak):
    try:
        return Q.sort_clause(name, value, allowed, default, tiebreak)
    except Q.BadParameter as e:
        raise bad(e.name, e.msg) from None


def dates_of(**kw) -> list[date | None]:
    try:
        return [Q.date_value(k, v) for k, v in kw.items()]
    except Q.BadParameter as e:
        raise bad(e.name, e.msg) from None


def page_links(request: Request, result: dict) -> dict:
    """`next` / `prev` URLs for a paged result."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "offset"]
    lim, off, total = result["limit"], result["offset"], result["total"]
    def url(o):
        return str(request.url.path) + "?" + urlencode(params + [("offset", str(o))])
    result["next"] = url(off + lim) if off + lim < total else None
    result["prev"] = url(max(0, off - lim)) if off > 0 else None
    return result


# ---------------------------------------------------------------------------------------------
# the app

def create_app(db_path: str | os.PathLike, idle_close: float = 30.0) -> FastAPI:
    """The web app over the DuckDB file at `db_path`, opened read-only."""
    db = ReadOnlyDB(db_path, idle_close=idle_close)
    atexit.register(db.close)

    @asynccontextmanager
    async def lifespan(app):
        yield
        db.close()

    app = FastAPI(
        lifespan=lifespan,
        title="eventwire",
        version=_version(),
        description=("Political events coded from news stories: who did what to whom, when, where "
                     "and on whose word. Read-only. Every field of an event is backed by a character "
                     "span of its article. 63-bit keys (event_key, cluster_id) are strings in JSON."),
        docs_url=None, redoc_url=None,            # Swagger/ReDoc load from a CDN: /docs is ours
        openapi_tags=[{"name": "events"}, {"name": "articles"}, {"name": "clusters"},
                      {"name": "aggregates"}, {"name": "meta"}],
    )
    app.state.db = db
    app.add_middleware(GuardMiddleware)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.exception_handler(DatabaseUnavailable)
    async def _db_unavailable(request: Request, exc: DatabaseUnavailable):
        return JSONResponse({"detail": str(exc)}, status_code=503, headers={"retry-after": "5"})

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        detail = []
        for err in exc.errors():
            detail.append({"loc": list(err.get("loc", [])), "msg": err.get("msg"),
                           "type": err.get("type")})
        return JSONResponse({"detail": detail}, status_code=422)

    api = APIRouter(prefix="/api", dependencies=[Depends(strict_query)])

    # -- events ------------------------------------------------------------------------------
    @api.get("/events", tags=["events"], summary="Events, filtered, sorted and paged")
    def events(request: Request, f: Annotated[Q.EventFilter, Depends(event_filter)],
               sort: Annotated[str | None, Query(description="date, published, type, status, country, article, killed, place, actor; '-' prefix = descending (default -date)")] = None,
               limit: Limit = 50, offset: Offset = 0):
        order = sort_of("sort", sort, Q.EVENT_SORTS, "-date", "e.event_key")
        with db.cursor() as cur:
            return page_links(request, Q.list_events(cur, f, order, limit, offset))

    @api.get("/events/{event_key}", tags=["events"],
             summary="One event with its evidence: the article snippet and every span, checked")
    def event(event_key: Annotated[str, PathParam(max_length=20)]):
        key = _key("event_key", event_key)
        with db.cursor() as cur:
            ev = Q.event_detail(cur, key)
        if ev is None:
            raise HTTPException(404, f"no event {event_key}")
        return ev

    # -- articles ----------------------------------------------------------------------------
    @api.get("/articles", tags=["articles"], summary="Articles (stories), filtered, sorted and paged")
    def articles(request: Request,
                 q: Annotated[str | None, Query(max_length=Q.MAX_TEXT, description="Text (any case) in the title, text or id")] = None,
                 date_from: Annotated[str | None, Query(description="Published on or after YYYY-MM-DD")] = None,
                 date_to: Annotated[str | None, Query(description="Published on or before YYYY-MM-DD")] = None,
                 outlet: Annotated[str | None, Query(max_length=Q.MAX_TEXT)] = None,
                 has_events: bool | None = None,
                 sort: Annotated[str | None, Query(description="date, title, events, id, outlet, chars; '-' = descending (default -date)")] = None,
                 limit: Limit = 50, offset: Offset = 0):
        lo, hi = dates_of(date_from=date_from, date_to=date_to)
        try:
            Q.check_range("date_from", lo, "date_to", hi)
        except Q.BadParameter as e:
            raise bad(e.name, e.msg) from None
        order = sort_of("sort", sort, Q.ARTICLE_SORTS, "-date", "a.id")
        with db.cursor() as cur:
            return page_links(request, Q.list_articles(cur, Q.text_value("q", q), lo, hi,
                                                       Q.text_value("outlet", outlet), has_events,
                                                       order, limit, offset))

    @api.get("/articles/{article_id:path}", tags=["articles"],
             summary="One article: its text, its events and every span to highlight")
    def article(article_id: Annotated[str, PathParam(max_length=1000)]):
        with db.cursor() as cur:
            a = Q.article_detail(cur, article_id)
        if a is None:
            raise HTTPException(404, f"no article {article_id[:200]!r}")
        return a

    # -- clusters ----------------------------------------------------------------------------
    @api.get("/clusters", tags=["clusters"],
             summary="De-duplicated events (clusters of mentions across stories)")
    def clusters(request: Request, type: ListParam = None, status: ListParam = None,
                 country: ListParam = None, contested: bool | None = None,
                 date_from: str | None = None, date_to: str | None = None,
                 q: Annotated[str | None, Query(max_length=Q.MAX_TEXT)] = None,
                 min_stories: Annotated[int | None, Query(ge=1, le=100000)] = None,
                 sort: Annotated[str | None, Query(description="date, events, stories, sources, first_report, type, killed, status; '-' = descending (default -stories)")] = None,
                 limit: Limit = 50, offset: Offset = 0):
        try:
            types = Q.enum_values("type", type, Q.TYPES, upper=True)
            statuses = Q.enum_values("status", status, Q.STATUSES, upper=False)
            countries = Q.country_values("country", country)
            lo, hi = Q.date_value("date_from", date_from), Q.date_value("date_to", date_to)
            Q.check_range("date_from", lo, "date_to", hi)
            text = Q.text_value("q", q)
        except Q.BadParameter as e:
            raise bad(e.name, e.msg) from None
        order = sort_of("sort", sort, Q.CLUSTER_SORTS, "-stories", "k.cluster_id")
        with db.cursor() as cur:
            return page_links(request, Q.list_clusters(cur, types, statuses, countries, contested,
                                                       lo, hi, text, min_stories, order, limit, offset))

    @api.get("/clusters/{cluster_id}", tags=["clusters"], summary="One cluster with its member events")
    def cluster(cluster_id: Annotated[str, PathParam(max_length=20)]):
        cid = _key("cluster_id", cluster_id)
        with db.cursor() as cur:
            c = Q.cluster_detail(cur, cid)
        if c is None:
            raise HTTPException(404, f"no cluster {cluster_id}")
        return c

    # -- aggregates --------------------------------------------------------------------------
    @api.get("/stats/timeline", tags=["aggregates"],
             summary="Event counts per day/week/month/year, split by status")
    def stats_timeline(f: Annotated[Q.EventFilter, Depends(event_filter)],
                       interval: Literal["day", "week", "month", "year"] = "month",
                       date_field: Annotated[Literal["event", "published"], Query(description="Bucket by the event's date or the article's publication date")] = "event"):
        with db.cursor() as cur:
            return Q.timeline(cur, f, interval, date_field)

    @api.get("/stats/{by}", tags=["aggregates"],
             summary="Event counts by country, type, status, ...")
    def stats_by(by: Annotated[str, PathParam(description=", ".join(Q.DIMENSIONS))],
                 f: Annotated[Q.EventFilter, Depends(event_filter)],
                 limit: Annotated[int, Query(ge=1, le=Q.MAX_PAGE)] = 100):
        if by not in Q.DIMENSIONS:
            raise HTTPException(404, detail=f"no aggregate {by[:40]!r}; use timeline or one of: "
                                            f"{', '.join(Q.DIMENSIONS)}")
        with db.cursor() as cur:
            out = Q.counts_by(cur, f, by, limit)
        if by.endswith("country"):
            names = country_names()
            for it in out["items"]:
                it["name"] = names.get(it["key"] or "", it["key"])
        return out

    @api.get("/map", tags=["aggregates"], summary="Event counts per located place (for the map)")
    def map_points(f: Annotated[Q.EventFilter, Depends(event_filter)],
                   limit: Annotated[int, Query(ge=1, le=5000)] = 2000):
        with db.cursor() as cur:
            return Q.map_points(cur, f, limit)

    # -- meta --------------------------------------------------------------------------------
    @api.get("/meta", tags=["meta"], summary="Counts, date bounds and the values filters take")
    def meta():
        with db.cursor() as cur:
            out = Q.meta(cur)
        names = country_names()
        for c in out["countries"]:
            c["name"] = names.get(c["key"], c["key"])
        return out

    @api.get("/world", tags=["meta"], summary="Country outlines (GeoJSON) for the offline map",
             response_class=Response)
    def world():
        return Response(world_geojson_bytes(), media_type="application/geo+json",
                        headers={"cache-control": "public, max-age=86400"})

    @api.get("/health", tags=["meta"], summary="Liveness and the database's row counts")
    def health():
        with db.cursor() as cur:
            n = {t: cur.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                 for t in ("articles", "events", "clusters")}
        return {"ok": True, "db": os.path.basename(db.path), **n}

    @api.get("", tags=["meta"], summary="The API's endpoints")
    def index():
        return {"openapi": "/openapi.json", "docs": "/docs",
                "endpoints": sorted(app.openapi().get("paths", {}))}

    app.include_router(api)

    # -- HTML pages: one static shell, our JS renders it from the JSON twin -------------------
    def page(request: Request, twin: str, status: int = 200, format: str | None = None):
        if format not in (None, "html", "json"):
            raise bad("format", "use format=json or format=html")
        if format == "json":
            params = [(k, v) for k, v in request.query_params.multi_items() if k != "format"]
            return RedirectResponse(twin + ("?" + urlencode(params) if params else ""), status_code=307)
        return FileResponse(SHELL, status_code=status, media_type="text/html; charset=utf-8",
                            headers={"link": f'<{twin}>; rel="alternate"; type="application/json"',
                                     "cache-control": "no-cache"})

    @app.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
    def home(request: Request, format: str | None = None):
        return page(request, "/api/events", format=format)

    @app.api_route("/events/{event_key}", methods=["GET", "HEAD"], include_in_schema=False)
    def event_page(request: Request, event_key: str, format: str | None = None):
        key = _key("event_key", event_key)
        with db.cursor() as cur:
            found = cur.execute("SELECT 1 FROM events WHERE event_key = ?", [key]).fetchone()
        return page(request, f"/api/events/{key}", 200 if found else 404, format)

    @app.api_route("/articles", methods=["GET", "HEAD"], include_in_schema=False)
    def articles_page(request: Request, format: str | None = None):
        return page(request, "/api/articles", format=format)

    @app.api_route("/articles/{article_id:path}", methods=["GET", "HEAD"], include_in_schema=False)
    def article_page(request: Request, article_id: str, format: str | None = None):
        with db.cursor() as cur:
            found = cur.execute("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone()
        return page(request, "/api" + Q.article_link(article_id), 200 if found else 404, format)

    @app.api_route("/clusters", methods=["GET", "HEAD"], include_in_schema=False)
    def clusters_page(request: Request, format: str | None = None):
        return page(request, "/api/clusters", format=format)

    @app.api_route("/clusters/{cluster_id}", methods=["GET", "HEAD"], include_in_schema=False)
    def cluster_page(request: Request, cluster_id: str, format: str | None = None):
        cid = _key("cluster_id", cluster_id)
        with db.cursor() as cur:
            found = cur.execute("SELECT 1 FROM clusters WHERE cluster_id = ?", [cid]).fetchone()
        return page(request, f"/api/clusters/{cid}", 200 if found else 404, format)

    @app.api_route("/docs", methods=["GET", "HEAD"], include_in_schema=False)
    def docs_page(request: Request, format: str | None = None):
        return page(request, "/openapi.json", format=format)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml")

    return app


def _key(name: str, value: str) -> int:
    try:
        return Q.parse_key(name, value)
    except Q.BadParameter as e:
        raise HTTPException(422, detail=[{"loc": ["path", name], "msg": e.msg,
                                          "type": "value_error"}]) from None


def _version() -> str:
    try:
        from eventwire import __version__
        return str(__version__)
    except Exception:  # pragma: no cover
        return "0"
