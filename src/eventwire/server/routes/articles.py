"""/api/articles: stories (a page or a download) and one story with its events' spans."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from eventwire.server import models as M
from eventwire.server import queries as Q
from eventwire.server.params import Filter, Paged, order_by, strict_query
from eventwire.server.twin import listing, one

router = APIRouter(prefix="/api/articles", tags=["articles"], dependencies=[Depends(strict_query)])
ArticleOrder = order_by(Q.ARTICLE_SORTS, "-date", "a.id", "date, title, events, id, outlet, chars")


@router.get("", responses=M.doc(M.ArticleList, downloads=True),
            summary="Articles: q, published_from/to and article apply to the story; every other "
                    "filter keeps the stories with a matching event")
def articles(request: Request, f: Filter, order: ArticleOrder, page: Paged,
             outlet: Annotated[str | None, Query(max_length=Q.MAX_TEXT)] = None,
             has_events: bool | None = None):
    out = Q.text_value("outlet", outlet) if outlet else None
    return listing(request, page, "articles",
                   lambda cur, limit, offset: Q.list_articles(cur, f, out, has_events, order, limit, offset),
                   lambda cur: Q.iter_articles(cur, f, out, has_events, order))


@router.get("/{article_id:path}", responses=M.doc(M.ArticleDetail),
            summary="One article: its text, its events and every span to highlight")
def article(request: Request, article_id: Annotated[str, Path(max_length=1000)]):
    return one(request, lambda cur: Q.article_detail(cur, article_id), f"no article {article_id[:200]!r}")
