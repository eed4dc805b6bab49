"""/api/events: the event list (a page, or a CSV / JSON Lines download) and one event."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request

from eventwire.server import models as M
from eventwire.server import queries as Q
from eventwire.server.params import Filter, Paged, order_by, path_key, strict_query
from eventwire.server.twin import listing, one

router = APIRouter(prefix="/api/events", tags=["events"], dependencies=[Depends(strict_query)])
EventOrder = order_by(Q.EVENT_SORTS, "-date", "e.event_key",
                      "date, published, type, status, country, article, killed, place, actor")


@router.get("", summary="Events, filtered, sorted and paged (or downloaded whole)",
            responses=M.doc(M.EventList, downloads=True))
def events(request: Request, f: Filter, order: EventOrder, page: Paged):
    return listing(request, page, "events", lambda cur, limit, offset: Q.list_events(cur, f, order, limit, offset),
                   lambda cur: Q.iter_events(cur, f, order))


@router.get("/{event_key}", responses=M.doc(M.EventDetail),
            summary="One event with its evidence: snippet, every span checked, mentions, status cues")
def event(request: Request, event_key: Annotated[str, Path(max_length=20)]):
    key = path_key("event_key", event_key)
    return one(request, lambda cur: Q.event_detail(cur, key), f"no event {event_key}")
