"""/api/clusters: de-duplicated events (a page or a download) and one cluster."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from eventwire.server import models as M
from eventwire.server import queries as Q
from eventwire.server.params import Filter, Paged, order_by, path_key, strict_query
from eventwire.server.twin import listing, one

router = APIRouter(prefix="/api/clusters", tags=["clusters"], dependencies=[Depends(strict_query)])
ClusterOrder = order_by(Q.CLUSTER_SORTS, "-stories", "k.cluster_id",
                        "date, events, stories, sources, first_report, type, killed, status")


@router.get("", responses=M.doc(M.ClusterList, downloads=True),
            summary="De-duplicated events (clusters of mentions across stories) with a member "
                    "event matching the filter")
def clusters(request: Request, f: Filter, order: ClusterOrder, page: Paged,
             contested: Annotated[bool | None, Query(description="Only clusters told as happening and as not happening")] = None,
             min_stories: Annotated[int | None, Query(ge=1, le=100000)] = None):
    def one_page(cur, limit: int, offset: int):
        return Q.list_clusters(cur, f, contested, min_stories, order, limit, offset)
    return listing(request, page, "clusters", one_page,
                   lambda cur: Q.iter_clusters(cur, f, contested, min_stories, order))


@router.get("/{cluster_id}", responses=M.doc(M.ClusterDetail),
            summary="One cluster with its member events and who asserts / who denies it")
def cluster(request: Request, cluster_id: Annotated[str, Path(max_length=20)]):
    cid = path_key("cluster_id", cluster_id)
    return one(request, lambda cur: Q.cluster_detail(cur, cid), f"no cluster {cluster_id}")
