"""The server's routes, one router per resource. Each router's JSON endpoints are under /api;
`pages` holds the HTML pages (one static shell), each tied to its JSON twin."""
from __future__ import annotations

from fastapi import Request

from eventwire.server.db import ReadOnlyDB


def get_db(request: Request) -> ReadOnlyDB:
    return request.app.state.db
