"""JSON responses: encoded once, and remembered while the database stays open.

While the server holds the database open no writer can change it (DuckDB's file lock), so an
answer computed for one URL stays right until the connection is closed (idle) and opened again;
`ReadOnlyDB.generation` counts the openings and is part of the key. The dashboard asks the
same aggregates on every page load, so most of its requests are answered from here.
"""
from __future__ import annotations

import json
import threading
from collections import OrderedDict
from datetime import date, datetime
from typing import Callable

from fastapi import Request
from fastapi.responses import Response

MAX_ENTRIES = 256
MAX_BYTES = 2_000_000          # an answer larger than this is not kept


def _default(v):
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    return str(v)


def encode(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=_default).encode("utf-8")


class ResponseCache:
    def __init__(self, entries: int = MAX_ENTRIES) -> None:
        self.entries = entries
        self._lock = threading.Lock()
        self._data: OrderedDict[tuple, bytes] = OrderedDict()

    def get(self, key: tuple) -> bytes | None:
        with self._lock:
            body = self._data.get(key)
            if body is not None:
                self._data.move_to_end(key)
            return body

    def put(self, key: tuple, body: bytes) -> None:
        if len(body) > MAX_BYTES:
            return
        with self._lock:
            self._data[key] = body
            self._data.move_to_end(key)
            while len(self._data) > self.entries:
                self._data.popitem(last=False)


def json_answer(request: Request, compute: Callable[[object], object], missing: Callable[[], Exception] | None = None) -> Response:
    """`compute(cursor)` as a JSON response, from the cache when this URL was answered since the
    database was opened. `compute` returning None raises `missing()` (a 404)."""
    db = request.app.state.db
    cache: ResponseCache = request.app.state.responses
    with db.cursor() as cur:
        key = (db.generation, request.url.path, request.url.query)
        body = cache.get(key)
        if body is None:
            obj = compute(cur)
            if obj is None and missing is not None:
                raise missing()
            body = encode(obj)
            cache.put(key, body)
    return Response(body, media_type="application/json")
