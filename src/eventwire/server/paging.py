"""`next` / `prev` links of a paged list."""
from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Request


def page_links(request: Request, result: dict) -> dict:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "offset"]
    lim, off, total = result["limit"], result["offset"], result["total"]

    def url(o):
        return str(request.url.path) + "?" + urlencode(params + [("offset", str(o))])
    result["next"] = url(off + lim) if off + lim < total else None
    result["prev"] = url(max(0, off - lim)) if off > 0 else None
    return result
