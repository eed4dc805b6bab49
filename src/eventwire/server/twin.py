"""Pages and their JSON twins, and list responses that are a page of JSON or a download.

Every HTML page is the same static shell (our JS renders it from the page's JSON twin);
`twin()` makes one page route and its redirect: `/clusters?type=AID&format=json` -> 307 to
`/api/clusters?type=AID`, `format=csv|jsonl` -> the twin's download. The page's
`Link: <twin?query>; rel="alternate"` header keeps the query string.
"""
from __future__ import annotations

import weakref
from contextlib import ExitStack
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import urlencode

from fastapi import HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse, Response, StreamingResponse

from eventwire.server import downloads
from eventwire.server.paging import page_links
from eventwire.server.params import Paging, bad
from eventwire.server.respond import json_answer

STATIC_DIR = Path(__file__).resolve().parent / "static"
SHELL = STATIC_DIR / "index.html"
PAGE_FORMATS = ("html", "json", "csv", "jsonl")


def query_without(request: Request, *names: str) -> list[tuple[str, str]]:
    return [(k, v) for k, v in request.query_params.multi_items() if k not in names]


def with_query(url: str, params: list[tuple[str, str]]) -> str:
    return url + ("?" + urlencode(params) if params else "")


def shell(status: int = 200, link: str | None = None) -> FileResponse:
    headers = {"cache-control": "no-cache"}
    if link:
        headers["link"] = f'<{link}>; rel="alternate"; type="application/json"'
    return FileResponse(SHELL, status_code=status, media_type="text/html; charset=utf-8", headers=headers)


def page(request: Request, twin: str, status: int = 200, format: str | None = None,
         page_only: tuple[str, ...] = ("view",), listing: bool = False):
    """The HTML page whose JSON twin is `twin`; `format=json` redirects to the twin (with the
    page's query, less parameters only the page uses, e.g. `view`), and on a list page
    `format=csv|jsonl` to its download."""
    formats = PAGE_FORMATS if listing else ("html", "json")
    if format not in (None, *formats):
        raise bad("format", f"use format={', '.join(formats)}")
    params = query_without(request, "format", *page_only)
    if format in ("json", "csv", "jsonl"):
        if format != "json":
            params.append(("format", format))
        return RedirectResponse(with_query(twin, params), status_code=307)
    return shell(status, with_query(twin, params))


def one(request: Request, compute: Callable[[object], dict | None], missing: str) -> Response:
    """One resource as JSON (`compute(cursor)`); None is a 404 saying `missing`."""
    return json_answer(request, compute, missing=lambda: HTTPException(404, missing))


def listing(request: Request, paging: Paging, kind: str, one_page: Callable[[object, int, int], dict],
            rows: Callable[[object], Iterator[dict]]):
    """One page of JSON (`one_page(cursor, limit, offset)`, given its next/prev links), or
    (format csv/jsonl) every row (`rows(cursor)`) streamed as a download. The cursor is opened
    before the response starts, so an unavailable database is still a clean 503."""
    fmt = paging.format
    if fmt == "json":
        return json_answer(request, lambda cur: page_links(request, one_page(cur, paging.limit, paging.offset)))
    db = request.app.state.db
    stack = ExitStack()
    cur = stack.enter_context(db.cursor())

    def body() -> Iterator[bytes]:
        with stack:
            yield from downloads.encode(rows(cur), fmt, kind)

    gen = body()
    weakref.finalize(gen, stack.close)        # released even if the body is never sent (HEAD)

    name = f"eventwire-{kind}.{fmt}"
    return StreamingResponse(gen, media_type=downloads.FORMATS[fmt],
                             headers={"content-disposition": f'attachment; filename="{name}"',
                                      "cache-control": "no-store"})
