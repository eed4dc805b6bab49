"""Web UI and JSON API over an eventwire DuckDB database (read-only).

    from eventwire.server import create_app, serve
    app = create_app("eventwire.duckdb")        # a FastAPI app (e.g. for TestClient)
    serve("eventwire.duckdb", host="127.0.0.1", port=8000)

Pages: /  (map, timeline, filters, events)  /articles  /articles/{id}  /events/{key}
/clusters  /clusters/{id}  /docs. Each page's JSON twin is under /api (or `?format=json`).
"""
from __future__ import annotations

import os

from eventwire.server.app import create_app

__all__ = ["create_app", "serve"]


def serve(db: str | os.PathLike, host: str = "127.0.0.1", port: int = 8000,
          log_level: str = "info") -> None:
    """Run the web server until interrupted. The database is opened read-only."""
    import click
    import uvicorn

    if not os.path.isfile(db):
        raise click.ClickException(f"{db}: no such database; create it with "
                                   f"`eventwire ingest --db {db} PATH...`")
    app = create_app(db)
    click.echo(f"eventwire: serving {db} (read-only) on http://{host}:{port}/  "
               f"API: http://{host}:{port}/api  docs: http://{host}:{port}/docs", err=True)
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False,
                limit_concurrency=64, timeout_keep_alive=5, h11_max_incomplete_event_size=16384)
