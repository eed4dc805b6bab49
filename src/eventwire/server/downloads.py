"""Downloads of a filtered list as CSV or JSON Lines, streamed row by row (no page cap).

The rows are the list endpoint's own items (the same filter, the same order); CSV flattens
them to one line each, with several actors joined by '; '. Text that a spreadsheet would run
as a formula (starting with = + - @) is prefixed with an apostrophe.
"""
from __future__ import annotations

import csv
import io
import json
from typing import Callable, Iterator

FORMATS = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}
CHUNK_ROWS = 500


def _names(actors) -> str:
    return "; ".join(a.get("name") or a.get("text") or "" for a in actors or [] if isinstance(a, dict))


def _countries(actors) -> str:
    return "; ".join(sorted({a.get("country") for a in actors or [] if isinstance(a, dict) and a.get("country")}))


def _get(d, *path):
    for k in path:
        d = d.get(k) if isinstance(d, dict) else None
    return d


EVENT_COLUMNS: list[tuple[str, Callable[[dict], object]]] = [
    ("event_key", lambda e: e.get("event_key")),
    ("event_date", lambda e: e.get("event_date")),
    ("date_earliest", lambda e: _get(e, "date", "earliest")),
    ("date_latest", lambda e: _get(e, "date", "latest")),
    ("date_text", lambda e: _get(e, "date", "text")),
    ("date_is_publication_date", lambda e: e.get("date_is_publication_date")),
    ("type", lambda e: e.get("type")),
    ("mode", lambda e: e.get("mode")),
    ("cameo", lambda e: e.get("cameo")),
    ("status", lambda e: e.get("status")),
    ("confidence", lambda e: e.get("confidence")),
    ("trigger", lambda e: _get(e, "trigger", "text")),
    ("actors", lambda e: _names(e.get("actors"))),
    ("actor_countries", lambda e: _countries(e.get("actors"))),
    ("recipients", lambda e: _names(e.get("recipients"))),
    ("recipient_countries", lambda e: _countries(e.get("recipients"))),
    ("place", lambda e: _get(e, "location", "name") or _get(e, "location", "text")),
    ("place_country", lambda e: _get(e, "location", "country")),
    ("place_geonameid", lambda e: _get(e, "location", "geonameid")),
    ("lat", lambda e: _get(e, "location", "lat")),
    ("lon", lambda e: _get(e, "location", "lon")),
    ("source", lambda e: _get(e, "attributed_to", "name") or _get(e, "attributed_to", "text")),
    ("killed", lambda e: _get(e, "size", "killed")),
    ("injured", lambda e: _get(e, "size", "injured")),
    ("arrested", lambda e: _get(e, "size", "arrested")),
    ("cluster_id", lambda e: e.get("cluster_id")),
    ("article_id", lambda e: e.get("article_id")),
    ("article_title", lambda e: _get(e, "article", "title")),
    ("published", lambda e: _get(e, "article", "date")),
    ("outlet", lambda e: _get(e, "article", "outlet")),
    ("url", lambda e: _get(e, "article", "url")),
]


def _flat(item: dict) -> list[tuple[str, object]]:
    """A cluster or article item as (column, value) pairs: scalars as they are, lists joined."""
    out = []
    for k, v in item.items():
        if k == "links":
            continue
        if isinstance(v, list):
            v = "; ".join(str(x) for x in v)
        elif isinstance(v, dict):
            v = json.dumps(v, ensure_ascii=False)
        out.append((k, v))
    return out


def _cell(v) -> object:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v                       # not a formula when opened in a spreadsheet
    return v


def csv_lines(items: Iterator[dict], kind: str) -> Iterator[str]:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    header: list[str] | None = None
    n = 0
    for it in items:
        if kind == "events":
            pairs = [(name, get(it)) for name, get in EVENT_COLUMNS]
        else:
            pairs = _flat(it)
        if header is None:
            header = [k for k, _ in pairs]
            w.writerow(header)
        w.writerow([_cell(v) for _, v in pairs])
        n += 1
        if n % CHUNK_ROWS == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    if header is None and kind == "events":
        w.writerow([name for name, _ in EVENT_COLUMNS])
    if buf.getvalue():
        yield buf.getvalue()


def jsonl_lines(items: Iterator[dict]) -> Iterator[str]:
    chunk: list[str] = []
    for it in items:
        chunk.append(json.dumps(it, ensure_ascii=False, default=str))
        if len(chunk) >= CHUNK_ROWS:
            yield "\n".join(chunk) + "\n"
            chunk = []
    if chunk:
        yield "\n".join(chunk) + "\n"


def encode(items: Iterator[dict], fmt: str, kind: str) -> Iterator[bytes]:
    lines = csv_lines(items, kind) if fmt == "csv" else jsonl_lines(items)
    if fmt == "csv":
        yield "\ufeff".encode("utf-8")           # a BOM, so spreadsheets read UTF-8
    for text in lines:
        yield text.encode("utf-8")
