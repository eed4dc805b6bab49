"""Web UI and JSON API over an eventwire DuckDB database (read-only).

    from eventwire.server import create_app, serve
    app = create_app("eventwire.duckdb")        # a FastAPI app (e.g. for TestClient)
    serve("eventwire.duckdb", host="127.0.0.1", port=8000)

Pages: /  (map, timeline, filters, events)  /articles  /articles/{id}  /events/{key}
/clusters  /clusters/{id}  /docs. Each page's JSON twin is under /api (or `?format=json`);
list pages download as CSV / JSON Lines with `?format=csv|jsonl`.
"""
from __future__ import annotations

import os

__all__ = ["create_app", "serve"]


def __getattr__(name: str):
    # imported on first use: `eventwire export` reads server.queries without loading FastAPI
    if name == "create_app":
        from eventwire.server.app import create_app
        return create_app
    raise AttributeError(name)


def serve(db: str | os.PathLike, host: str = "127.0.0.1", port: int = 8000,
          log_level: str = "info", header_timeout: float | None = None,
          per_client: int | None = None) -> None:
    """Run the web server until interrupted. The database is opened read-only.

    Slow or idle clients are bounded (see eventwire.server.protocol): request headers must
    arrive within `header_timeout` seconds, one address holds at most `per_client`
    connections."""
    import click
    import uvicorn

    from eventwire.server import protocol
    from eventwire.server.app import create_app

    if not os.path.isfile(db):
        raise click.ClickException(f"{db}: no such database; create it with "
                                   f"`eventwire ingest --db {db} PATH...`")
    app = create_app(db)
    click.echo(f"eventwire: serving {db} (read-only) on http://{host}:{port}/  "
               f"API: http://{host}:{port}/api  docs: http://{host}:{port}/docs", err=True)
    http = protocol.guarded_protocol(header_timeout or protocol.HEADER_TIMEOUT,
                                     per_client or protocol.PER_CLIENT)
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False, http=http,
                limit_concurrency=protocol.MAX_CONNECTIONS, timeout_keep_alive=5,
                h11_max_incomplete_event_size=16384)
