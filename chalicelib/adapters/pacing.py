"""Pacing of the senders: a token bucket per container, and one way of saying "throttled".

SES and SNS refuse work beyond the account's rate with a ``Throttling`` error. A sender
takes a token before each call (waiting a little when the bucket is empty) and, when the
wait would be long or the service throttled anyway, raises :class:`Throttled`, a botocore
``ClientError`` (code ``Throttling``), so every caller that already handles AWS errors
keeps working, and the queue handlers (``chalicelib.jobs._sqs``) can recognise it anywhere
in an exception chain and hand the message back to the queue for later.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from botocore.exceptions import ClientError

THROTTLING_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "TooManyRequestsException",
        "RequestThrottled",
        "SlowDown",
    }
)
DEFAULT_RETRY_AFTER_S = 30.0
BACKOFF_S = (0.2, 0.8)  # in-call retries after a throttling answer, then the queue's turn


class Throttled(ClientError):
    """The account's rate is used up now; the same work can succeed later."""

    def __init__(self, operation: str, retry_after_s: float, reason: str) -> None:
        super().__init__({"Error": {"Code": "Throttling", "Message": reason}}, operation)
        self.retry_after_s = max(1.0, float(retry_after_s))


def throttling_of(exc: BaseException | None) -> ClientError | None:
    """The throttling error in ``exc`` or its causes (services wrap adapter errors)."""
    seen = 0
    while exc is not None and seen < 16:
        if isinstance(exc, ClientError):
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code in THROTTLING_CODES:
                return exc
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


def retry_after(exc: BaseException) -> float:
    """How long to wait before trying the throttled work again."""
    found = throttling_of(exc)
    if isinstance(found, Throttled):
        return found.retry_after_s
    return DEFAULT_RETRY_AFTER_S


class TokenBucket:
    """``rate`` sends per second with a burst of one second's worth; thread-safe (chalice
    local serves requests on threads)."""

    def __init__(
        self,
        rate: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = float(rate)
        self.capacity = max(1.0, self.rate)
        self._tokens = self.capacity
        self._clock = clock
        self._sleep = sleep
        self._at = clock()
        self._lock = threading.Lock()
        self.waited_s = 0.0

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.capacity, self._tokens + (now - self._at) * self.rate)
        self._at = now

    def take(self, operation: str, max_wait_s: float) -> None:
        """One token, waiting at most ``max_wait_s``; beyond that raise :class:`Throttled`."""
        with self._lock:
            self._refill()
            wait = 0.0 if self._tokens >= 1 else (1 - self._tokens) / self.rate
            if wait > max_wait_s:
                raise Throttled(operation, wait, "send rate used up in this container")
            self._tokens -= 1
        if wait > 0:
            self.waited_s += wait
            self._sleep(wait)

    def penalise(self, seconds: float) -> None:
        """The service throttled us although we paced: hold every send for ``seconds``."""
        with self._lock:
            self._refill()
            self._tokens = min(self._tokens, 0.0) - seconds * self.rate


def call_paced(
    bucket: TokenBucket | None,
    operation: str,
    call: Callable[[], str],
    max_wait_s: float,
    backoff_s: tuple[float, ...] | None = None,
    sleep: Callable[[float], None] | None = None,
    metric: str = "",
) -> str:
    """Take a token, call, and on a throttling answer back off and try again a few times
    (short, bounded waits); then raise :class:`Throttled` for the queue to retry later.
    ``metric`` names the sent/throttled counters (``<metric>Sent``, ``<metric>Throttled``)."""
    from chalicelib.observability import metrics

    backoff_s = backoff_s or BACKOFF_S
    sleep = sleep or time.sleep
    for attempt in range(len(backoff_s) + 1):
        if bucket is not None:
            bucket.take(operation, max_wait_s)
        try:
            answer = call()
        except ClientError as exc:
            if throttling_of(exc) is None:
                raise
            if metric:
                metrics.add_metric(name=f"{metric}Throttled", unit="Count", value=1)
            if bucket is not None:
                bucket.penalise(backoff_s[min(attempt, len(backoff_s) - 1)])
            if attempt == len(backoff_s):
                raise Throttled(operation, DEFAULT_RETRY_AFTER_S, "throttled by AWS") from exc
            if bucket is None:
                sleep(backoff_s[attempt])
            continue
        if metric:
            metrics.add_metric(name=f"{metric}Sent", unit="Count", value=1)
        return answer
    raise AssertionError("unreachable")


def service_errors() -> tuple[type[Exception], ...]:
    from botocore.exceptions import BotoCoreError

    return (ClientError, BotoCoreError)
