"""Request parameters: the shared event filter, paging, sorting and strict checking.

Every list endpoint (events, clusters, articles, aggregates, map and their downloads) takes
the same filter parameters through `event_filter`; a value that cannot be used is a 422 that
names the parameter, never an empty result.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from fastapi import Depends, HTTPException, Query, Request

from eventwire.server import queries as Q


def bad(name: str, msg: str, status: int = 422, where: str = "query") -> HTTPException:
    return HTTPException(status_code=status,
                         detail=[{"loc": [where, name], "msg": msg, "type": "value_error"}])


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


def known_modes(request: Request) -> set[str]:
    import os

    db = request.app.state.db
    if db.confidence_sql is None:            # not opened yet: open it to learn its modes
        with db.cursor():
            pass
    return set(Q.lexicon_modes(os.environ.get("EVENTWIRE_LEXICON"))) | set(db.db_modes)


def _csv_help(what: str) -> str:
    return f"{what}; several: repeat the parameter or separate with commas"


def event_filter(
    request: Request,
    type: Annotated[list[str] | None, Query(description=_csv_help(f"Event type(s): {', '.join(Q.TYPES)}"))] = None,
    mode: Annotated[list[str] | None, Query(description=_csv_help("Mode(s) (sub-type, e.g. 'aerial'); unknown modes are an error"))] = None,
    status: Annotated[list[str] | None, Query(description=_csv_help(f"Status(es): {', '.join(Q.STATUSES)}"))] = None,
    country: Annotated[list[str] | None, Query(description=_csv_help("ISO3 country the event involves: of any actor, any recipient or its place"))] = None,
    actor_country: Annotated[list[str] | None, Query(description=_csv_help("ISO3 country of an actor (the 'who')"))] = None,
    recipient_country: Annotated[list[str] | None, Query(description=_csv_help("ISO3 country of a recipient (the 'whom')"))] = None,
    location_country: Annotated[list[str] | None, Query(description=_csv_help("ISO3 country of the event's place"))] = None,
    place: Annotated[list[str] | None, Query(description=_csv_help("Place name (exact, any case) or GeoNames id"))] = None,
    actor: Annotated[list[str] | None, Query(description=_csv_help("Text (any case) in an actor's name"))] = None,
    recipient: Annotated[list[str] | None, Query(description=_csv_help("Text (any case) in a recipient's name"))] = None,
    date_from: Annotated[str | None, Query(description="Event date on or after YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, Query(description="Event date on or before YYYY-MM-DD")] = None,
    published_from: Annotated[str | None, Query(description="Article published on or after YYYY-MM-DD")] = None,
    published_to: Annotated[str | None, Query(description="Article published on or before YYYY-MM-DD")] = None,
    min_confidence: Annotated[str | None, Query(description="Only events with a confidence of at least this (0-1); events without one are left out")] = None,
    q: Annotated[str | None, Query(description="Text (any case) in the trigger, actors, recipients, place, article title or article text", max_length=Q.MAX_TEXT)] = None,
    trigger: Annotated[str | None, Query(description="Text (any case) in the trigger only", max_length=Q.MAX_TEXT)] = None,
    article: Annotated[str | None, Query(description="Only the events of this article id", max_length=1000)] = None,
    cluster: Annotated[str | None, Query(description="Only the events of this cluster id")] = None,
    has_location: Annotated[bool | None, Query(description="Only events with (true) / without (false) coordinates")] = None,
) -> Q.EventFilter:
    raw = {k: v for k, v in locals().items() if k != "request"}   # the parameters, by name
    try:
        f = Q.build_filter(raw, lambda: known_modes(request))
    except Q.BadParameter as e:
        raise bad(e.name, e.msg) from None
    db = request.app.state.db
    if db.confidence_sql is None:             # not opened yet: open it to learn its columns
        with db.cursor():
            pass
    f.confidence_sql = db.confidence_sql or Q.CONFIDENCE_FROM_RECORD
    return f


Filter = Annotated[Q.EventFilter, Depends(event_filter)]
Limit = Annotated[int, Query(ge=1, le=Q.MAX_PAGE, description=f"Page size (1-{Q.MAX_PAGE}); downloads are not paged")]
Offset = Annotated[int, Query(ge=0, le=Q.MAX_OFFSET, description="Rows to skip")]
ListFormat = Annotated[Literal["json", "csv", "jsonl"], Query(
    description="json: one page; csv / jsonl: every matching row, streamed (no page cap)")]


def sort_of(name, value, allowed, default, tiebreak) -> str:
    try:
        return Q.sort_clause(name, value, allowed, default, tiebreak)
    except Q.BadParameter as e:
        raise bad(e.name, e.msg) from None


def order_by(allowed: dict, default: str, tiebreak: str, keys: str):
    """The `sort` parameter of a list (`keys` it takes) as a dependency giving its ORDER BY clause."""
    def order(sort=None) -> str:
        return sort_of("sort", sort, allowed, default, tiebreak)
    # the parameter's type is built here, so it is given as an object (annotations are strings)
    described = Query(description=f"{keys}; '-' prefix = descending (default {default})")
    order.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter("sort", inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None,
                           annotation=Annotated[str | None, described])], return_annotation=str)
    return Annotated[str, Depends(order)]


@dataclass
class Paging:
    """Which page of a list, or (format csv/jsonl) the whole list as a download."""
    limit: int
    offset: int
    format: str


def paging(limit: Limit = 50, offset: Offset = 0, format: ListFormat = "json") -> Paging:
    return Paging(limit, offset, format)


Paged = Annotated[Paging, Depends(paging)]


def path_key(name: str, value: str) -> int:
    try:
        return Q.parse_key(name, value)
    except Q.BadParameter as e:
        raise bad(name, e.msg, where="path") from None


def dates_of(**kw) -> list[date | None]:
    try:
        return [Q.date_value(k, v) for k, v in kw.items()]
    except Q.BadParameter as e:
        raise bad(e.name, e.msg) from None
