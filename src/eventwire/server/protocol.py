"""HTTP connection handling that idle or slow clients cannot exhaust.

uvicorn closes a kept-alive connection that stays idle between requests, but not one that
never finishes its first request's headers, and it answers 503 to everyone once its
connection limit is reached. The design here:

- a header timeout: a connection whose request headers are not complete `header_timeout`
  seconds after it opened (or after its previous response) is closed;
- a per-client cap: one client address may hold at most `per_client` connections; more are
  closed at once, so one client cannot take the server's whole connection budget;
- a large global connection limit (the server's 503 is the last resort, not the first);
- database work is bounded separately by the worker thread pool (a request waits for a
  thread, it is not refused).
"""
from __future__ import annotations

import asyncio
from collections import Counter

from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT = 10.0
PER_CLIENT = 32
MAX_CONNECTIONS = 1024


def guarded_protocol(header_timeout: float = HEADER_TIMEOUT, per_client: int = PER_CLIENT):
    """An H11Protocol class with a header timeout and a per-client connection cap."""
    open_per_host: Counter[str] = Counter()

    class GuardedH11Protocol(H11Protocol):
        _header_timer: asyncio.TimerHandle | None = None
        _host: str | None = None

        def connection_made(self, transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._host = self.client[0] if self.client else None
            if self._host is not None:
                open_per_host[self._host] += 1
                if open_per_host[self._host] > per_client:
                    transport.close()
                    return
            self._arm()

        def connection_lost(self, exc) -> None:
            self._disarm()
            if self._host is not None:
                open_per_host[self._host] -= 1
                if open_per_host[self._host] <= 0:
                    del open_per_host[self._host]
                self._host = None
            super().connection_lost(exc)

        def _arm(self) -> None:
            self._disarm()
            self._header_timer = self.loop.call_later(header_timeout, self._headers_too_slow)

        def _disarm(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _headers_too_slow(self) -> None:
            self._header_timer = None
            if self.cycle is None or self.cycle.response_complete:
                if not self.transport.is_closing():
                    self.transport.close()

        def handle_events(self) -> None:
            super().handle_events()
            if self.cycle is not None and not self.cycle.response_complete:
                self._disarm()                 # headers complete: the request is running

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if self.cycle is None or self.cycle.response_complete:
                self._arm()                    # the next request's headers get the same time

    return GuardedH11Protocol
