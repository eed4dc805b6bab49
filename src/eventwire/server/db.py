"""Read-only access to an eventwire DuckDB file for the web server.

One read-only DuckDB connection is shared by the process and every request works on its own
`cursor()` of it (a cursor is a separate connection to the same database instance, safe to use
from the request's thread). The shared connection is closed again once no request has used it
for `idle_close` seconds, so `eventwire ingest` can write to the file while the server is idle;
the next request re-opens it (and sees the new data).
"""
from __future__ import annotations

import os
import threading
import time
from contextlib import contextmanager
from typing import Iterator

import duckdb

from eventwire.store import StoreError, connect


class DatabaseUnavailable(RuntimeError):
    """The file cannot be opened now (missing, not a DuckDB file, or locked by a writer)."""


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

    # -- lifecycle ---------------------------------------------------------------------------
    def _open(self) -> duckdb.DuckDBPyConnection:
        if not os.path.isfile(self.path):
            raise DatabaseUnavailable(f"{self.path}: no such database file "
                                      f"(create it with `eventwire ingest --db {self.path} PATH...`)")
        try:
            return connect(self.path, read_only=True)
        except StoreError as e:
            raise DatabaseUnavailable(str(e)) from e

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
                raise DatabaseUnavailable(f"{self.path}: {str(e).splitlines()[0]}") from e
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
