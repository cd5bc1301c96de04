"""A small JSON GET for the public data sources (IMGW, GIOŚ): urllib with a timeout, or a
folder of recorded responses when the base URL is ``file://`` (the local stage and tests:
``<base>/station/x`` reads ``<folder>/station_x.json``). Nothing here retries: a source that
fails is shown as unavailable, never waited for."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import quote, unquote, urlparse

USER_AGENT = "eBOK/1.0 (+https://ebok.cieplo.example.pl)"
MAX_BYTES = 256 * 1024


class SourceUnavailable(RuntimeError):
    """The source did not answer usable JSON in time."""


def get_json(base: str, path: str, timeout_s: float) -> Any:
    """GET ``base + path`` as JSON; raises :class:`SourceUnavailable` on any failure."""
    base = base.rstrip("/")
    if base.startswith("file://"):
        folder = unquote(urlparse(base).path)
        name = path.strip("/").replace("/", "_")
        try:
            with open(f"{folder}/{name}.json", encoding="utf-8") as fh:
                return json.load(fh)
        except (OSError, ValueError) as exc:
            raise SourceUnavailable(f"no recorded response {name}") from exc
    url = base + quote(path)
    if not url.startswith(("https://", "http://")):
        raise SourceUnavailable("unsupported source URL")
    req = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": USER_AGENT}
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout_s) as resp:  # noqa: S310 - scheme checked
            body = resp.read(MAX_BYTES + 1)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise SourceUnavailable(str(exc)) from exc
    if len(body) > MAX_BYTES:
        raise SourceUnavailable("response too large")
    try:
        return json.loads(body)
    except ValueError as exc:
        raise SourceUnavailable("not JSON") from exc
