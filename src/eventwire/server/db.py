"""Read-only access to an eventwire DuckDB file for the web server.

One read-only DuckDB connection is shared by the process and every request works on its own
`cursor()` of it (a cursor is a separate connection to the same database instance, safe to use
from the request's thread). The shared connection is closed again once no request has used it
for `idle_close` seconds, so `eventwire ingest` can write to the file while the server is idle;
the next request re-opens it (and sees the new data).
"""
from __future__ import annotations

import logging
import os
import threading
import time
from contextlib import contextmanager
from typing import Iterator

import duckdb

from eventwire.store import StoreError, connect

log = logging.getLogger("eventwire.server")


class DatabaseUnavailable(RuntimeError):
    """The file cannot be opened now (missing, not a DuckDB file, or locked by a writer).
    Its message is shown to clients: it names the file but not its folder, and no process
    id (the full reason goes to the server's log)."""


class ReadOnlyDB:
    def __init__(self, path: str | os.PathLike, idle_close: float = 30.0) -> None:
        self.path = str(path)
        self.idle_close = idle_close
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._active = 0
        self._last_used = time.monotonic()
        self._closer: threading.Thread | None = None
        self._stop = threading.Event()
        self.name = os.path.basename(self.path)
        self.confidence_sql: str | None = None    # how to read an event's confidence (see queries)
        self.db_modes: frozenset[str] = frozenset()
        self.generation = 0                        # how many times the file was opened

    # -- lifecycle ---------------------------------------------------------------------------
    def _open(self) -> duckdb.DuckDBPyConnection:
        if not os.path.isfile(self.path):
            raise DatabaseUnavailable(f"{self.name}: no such database file "
                                      f"(create it with `eventwire ingest --db {self.name} PATH...`)")
        try:
            con = connect(self.path, read_only=True)
        except StoreError as e:
            log.warning("cannot open %s: %s", self.path, e)
            raise DatabaseUnavailable(f"{self.name} cannot be read now (it is being written, or is "
                                      f"not an eventwire database); try again in a few seconds") from e
        self._learn(con)
        self.generation += 1
        return con

    def _learn(self, con: duckdb.DuckDBPyConnection) -> None:
        """What this database has: a confidence column (newer stores), and its event modes."""
        from eventwire.server.queries import CONFIDENCE_COLUMN, CONFIDENCE_FROM_RECORD

        cols = {r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'events'").fetchall()}
        self.confidence_sql = CONFIDENCE_COLUMN if "confidence" in cols else CONFIDENCE_FROM_RECORD
        self.db_modes = frozenset(r[0] for r in con.execute(
            "SELECT DISTINCT lower(mode) FROM events WHERE mode IS NOT NULL").fetchall())

    def _start_closer(self) -> None:
        if self._closer is None and self.idle_close > 0:
            self._closer = threading.Thread(target=self._close_when_idle, name="eventwire-db-idle",
                                            daemon=True)
            self._closer.start()

    def _close_when_idle(self) -> None:
        while not self._stop.wait(min(5.0, self.idle_close)):
            with self._lock:
                if (self._con is not None and self._active == 0
                        and time.monotonic() - self._last_used >= self.idle_close):
                    self._con.close()
                    self._con = None

    def close(self) -> None:
        self._stop.set()
        with self._lock:
            if self._con is not None and self._active == 0:
                self._con.close()
                self._con = None

    # -- use ---------------------------------------------------------------------------------
    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._lock:
            if self._con is None:
                self._con = self._open()
                self._start_closer()
            try:
                cur = self._con.cursor()
            except duckdb.Error as e:          # the shared connection went bad: start over
                try:
                    self._con.close()
                finally:
                    self._con = None
                log.warning("database %s went bad: %s", self.path, e)
                raise DatabaseUnavailable(f"{self.name} cannot be read now; try again") from e
            self._active += 1
        try:
            yield cur
        finally:
            try:
                cur.close()
            finally:
                with self._lock:
                    self._active -= 1
                    self._last_used = time.monotonic()
