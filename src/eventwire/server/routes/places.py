"""Aggregates: the map's places, counts by a dimension and the timeline; the world outlines."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import Response

from eventwire.server import models as M
from eventwire.server import queries as Q
from eventwire.server.params import Filter, strict_query
from eventwire.server.respond import json_answer
from eventwire.server.world import country_names, world_geojson_bytes

router = APIRouter(prefix="/api", tags=["aggregates"], dependencies=[Depends(strict_query)])


@router.get("/map", responses=M.doc(M.MapPoints), summary="Event counts per located place (for the map)")
def map_points(request: Request, f: Filter, limit: Annotated[int, Query(ge=1, le=5000)] = 2000):
    return json_answer(request, lambda cur: Q.map_points(cur, f, limit))


@router.get("/stats/timeline", responses=M.doc(M.Timeline),
            summary="Event counts per day/week/month/year, split by status ('auto': by the filter's span)")
def stats_timeline(request: Request, f: Filter,
                   interval: Literal["auto", "day", "week", "month", "year"] = "month",
                   date_field: Annotated[Literal["event", "published"], Query(description="Bucket by the event's date or the article's publication date")] = "event"):
    return json_answer(request, lambda cur: Q.timeline(cur, f, interval, date_field))


@router.get("/stats/{by}", responses=M.doc(M.Counts),
            summary="Event counts by country, type, status, ... (an event counts for every country it involves)")
def stats_by(request: Request, by: Annotated[str, Path(description=", ".join(Q.DIMENSIONS))], f: Filter,
             limit: Annotated[int, Query(ge=1, le=Q.MAX_PAGE)] = 100):
    if by not in Q.DIMENSIONS:
        raise HTTPException(404, detail=f"no aggregate {by[:40]!r}; use timeline or one of: "
                                        f"{', '.join(Q.DIMENSIONS)}")

    def counts(cur):
        out = Q.counts_by(cur, f, by, limit)
        if by.endswith("country"):
            names = country_names()
            for it in out["items"]:
                it["name"] = names.get(it["key"] or "", it["key"])
        return out
    return json_answer(request, counts)


@router.get("/world", tags=["meta"], summary="Country outlines (GeoJSON) for the offline map",
            response_class=Response,
            responses={200: {"content": {"application/geo+json": {"schema": {"type": "object"}}}}})
def world():
    return Response(world_geojson_bytes(), media_type="application/geo+json",
                    headers={"cache-control": "public, max-age=86400"})
