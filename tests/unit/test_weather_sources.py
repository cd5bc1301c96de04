"""IMGW synop and GIOŚ aqindex clients against recorded responses (data/imgw, data/gios),
served from files and by a loopback HTTP stand-in; failures are SourceUnavailable."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from chalicelib.adapters import gios, imgw
from chalicelib.adapters._http_json import SourceUnavailable, get_json
from chalicelib.domain import weather

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture
def sources(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from chalicelib.config import settings

    monkeypatch.setenv("IMGW_URL", (DATA / "imgw").as_uri())
    monkeypatch.setenv("GIOS_URL", (DATA / "gios").as_uri())
    settings.cache_clear()
    yield
    settings.cache_clear()


def test_imgw_recorded_synop(sources: None) -> None:
    obs = imgw.by_id("12424")
    assert obs.station == "Wrocław" and obs.station_id == "12424"
    assert obs.temperature_c == Decimal("3.4")
    assert obs.observed_at == datetime(2026, 11, 18, 9, tzinfo=UTC)


def test_gios_recorded_index(sources: None) -> None:
    found = gios.index(114)
    assert (found.station_id, found.level, found.category) == (114, 1, "Dobry")
    assert found.critical == "PM10" and found.calculated_at == "2026-11-18 09:20:17"


def test_gios_no_index_and_bad_answers() -> None:
    none = gios.parse({"AqIndex": {"Identyfikator stacji pomiarowej": 5, "Wartość indeksu": -1}})
    assert none.level is None and none.category is None
    with pytest.raises(SourceUnavailable):
        gios.parse({"unexpected": []})
    with pytest.raises(SourceUnavailable):
        imgw.parse(
            {
                "id_stacji": "1",
                "stacja": "X",
                "data_pomiaru": "2026-11-18",
                "godzina_pomiaru": "9",
                "temperatura": None,
            }
        )


def test_missing_recording_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(SourceUnavailable):
        get_json(tmp_path.as_uri(), "/id/99999", 1)


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        name = self.path.strip("/").removeprefix("api/data/synop/").replace("/", "_")
        target = DATA / "imgw" / f"{name}.json"
        if self.path.startswith("/slow"):
            threading.Event().wait(2)
        if not target.exists():
            self.send_response(404)
            self.end_headers()
            return
        body = target.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def standin() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_http_client_over_loopback(standin: str) -> None:
    raw = get_json(standin + "/api/data/synop", "/id/12465", 2)
    assert imgw.parse(raw).temperature_c == Decimal("1.9")
    with pytest.raises(SourceUnavailable):
        get_json(standin + "/api/data/synop", "/id/00000", 2)  # 404
    with pytest.raises(SourceUnavailable):
        get_json(standin + "/slow", "/id/12424", 0.3)  # timeout
    with pytest.raises(SourceUnavailable):
        get_json("http://127.0.0.1:9", "/id/12424", 0.5)  # nothing listens


def test_daily_mean_needs_enough_hours() -> None:
    assert weather.daily_mean([Decimal("1.0")] * 3) is None
    assert weather.daily_mean([Decimal(x) for x in ("1.0", "2.0", "3.0", "4.5")]) == Decimal("2.6")
