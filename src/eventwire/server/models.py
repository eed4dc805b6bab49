"""Response models: what the JSON API returns, for the OpenAPI description (/openapi.json).

They document the responses; the endpoints return plain dicts (not validated again on the
way out, which would cost time on every request). Records carry every field of the public
event schema (/work/shared/eval/event.schema.json style): models allow extra fields.
"""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Span(Open):
    text: str | None = None
    start: int | None = None
    end: int | None = None


class Party(Span):
    name: str | None = None
    country: str | None = Field(None, description="ISO 3166-1 alpha-3")
    sector: str | None = None
    inferred_from: str | None = Field(None, description="set when not named in the text (e.g. 'location')")


class Location(Span):
    name: str | None = None
    geonameid: int | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None


class DateSpan(Span):
    earliest: str | None = None
    latest: str | None = None
    granularity: str | None = None


class ArticleRef(Open):
    id: str
    title: str | None = None
    date: str | None = None
    outlet: str | None = None
    url: str | None = None


class Event(Open):
    event_key: str = Field(description="63-bit key, as a string")
    id: str | None = None
    article_id: str
    type: str | None = None
    mode: str | None = None
    status: str | None = None
    confidence: float | None = Field(None, description="0-1 when the coder gives one")
    trigger: Span | None = None
    actors: list[Party] = []
    recipients: list[Party] = []
    location: Location | None = None
    date: DateSpan | None = None
    attributed_to: Party | None = None
    event_date: str | None = None
    date_is_publication_date: bool = Field(False, description="the date is the article's publication date, not one told in the text")
    quad_class: int | None = None
    country: str | None = None
    cluster_id: str | None = None
    article: ArticleRef
    links: dict[str, str | None]


class Page(BaseModel):
    total: int
    limit: int
    offset: int
    next: str | None = None
    prev: str | None = None


class EventList(Page):
    items: list[Event]


class EvidenceSpan(Open):
    role: str = Field(description="trigger, mention, actor, recipient, place, date, source or cue")
    start: int
    end: int
    text: str | None = None
    ok: bool = Field(description="the span lies in the text and its text is the text there")


class Evidence(BaseModel):
    snippet: dict[str, Any]
    spans: list[EvidenceSpan]
    mentions: list[dict[str, Any]]
    article_chars: int
    date_is_publication_date: bool


class EventDetail(Event):
    evidence: Evidence
    cluster: dict[str, Any] | None = None


class Article(Open):
    id: str
    title: str | None = None
    date: str | None = None
    outlet: str | None = None
    url: str | None = None
    n_chars: int | None = None
    n_events: int | None = None
    links: dict[str, str]


class ArticleList(Page):
    items: list[Article]


class ArticleDetail(Article):
    text: str
    events: list[Event]
    spans: list[EvidenceSpan]
    places: list[dict[str, Any]]
    times: list[dict[str, Any]]


class Cluster(Open):
    cluster_id: str
    type: str | None = None
    status: str | None = None
    statuses: list[str] | None = None
    contested: bool | None = None
    n_events: int | None = None
    n_stories: int | None = None
    n_sources: int | None = None
    event_date: str | None = None
    publication_dated: bool | None = Field(None, description="no member's story dates the event: "
                                           "event_date is a publication date")
    links: dict[str, str]


class ClusterList(Page):
    items: list[Cluster]


class Position(BaseModel):
    by: str = Field(description="the source the member event is attributed to, else its outlet")
    status: str | None = None
    event_key: str | None = None
    article_id: str | None = None
    outlet: str | None = None


class Positions(BaseModel):
    asserts: list[Position]
    denies: list[Position]
    other: list[Position]


class ClusterDetail(Cluster):
    events: list[Event]
    positions: Positions


class Bucket(BaseModel):
    period: str
    events: int
    by_status: dict[str, int]
    publication_dated: int = Field(0, description="of those, events whose date is their story's publication "
                                                  "date (the text gives none); 0 when bars are by publication date")


class Timeline(BaseModel):
    interval: str
    date_field: str
    undated: int
    span: dict[str, str | None]
    buckets: list[Bucket]


class Count(Open):
    key: Any = None
    events: int
    articles: int
    clusters: int
    killed: int | None = None
    name: str | None = None


class Counts(BaseModel):
    by: str
    distinct: int
    items: list[Count]


class MapPoint(BaseModel):
    geonameid: int | None = None
    name: str | None = None
    country: str | None = None
    lat: float
    lon: float
    events: int
    inferred: int = Field(0, description="of those, events whose place is only their story's (inferred_from: story)")
    by_status: dict[str, int]


class MapPoints(BaseModel):
    total: int
    truncated: bool
    items: list[MapPoint]


class Meta(Open):
    counts: dict[str, int]
    event_dates: dict[str, str | None]
    published_dates: dict[str, str | None]
    types: list[dict[str, Any]]
    statuses: list[dict[str, Any]]
    countries: list[dict[str, Any]]
    modes: list[dict[str, Any]]


class Health(Open):
    ok: bool
    db: str
    articles: int
    events: int
    clusters: int


class Problem(BaseModel):
    detail: Any = Field(description="a message, or a list of {loc, msg, type}")


def doc(model: type[BaseModel], downloads: bool = False) -> dict:
    """`responses=` for a route: the model for 200 (and the download types), errors as Problem."""
    ok: dict[str, Any] = {"model": model, "description": "OK"}
    if downloads:
        ok["content"] = {"text/csv": {"schema": {"type": "string"}},
                         "application/x-ndjson": {"schema": {"type": "string"}}}
    return {200: ok, 404: {"model": Problem}, 422: {"model": Problem}, 503: {"model": Problem}}
