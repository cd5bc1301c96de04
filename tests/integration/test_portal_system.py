"""The portal's own files and settings (issue 16): favicon, vendored Leaflet, the map's tile
source, the street gazetteer the outage console picks from."""

from __future__ import annotations

import pytest

from chalicelib.api.middleware import security_headers
from chalicelib.config import settings


def test_favicon_is_served_not_404(api, aws) -> None:
    r = api.get("/favicon.ico")
    assert r.status == 200
    assert r.headers["Content-Type"].startswith("image/svg+xml")
    assert "<svg" in r.text


def test_vendored_leaflet_and_its_licence(api, aws) -> None:
    js = api.get("/static/vendor/leaflet.js")
    assert js.status == 200 and "Leaflet 1.9.4" in js.text
    assert api.get("/static/vendor/leaflet-LICENSE.txt").status == 200
    assert api.get("/static/vendor/..%2Fapp.js").status == 404
    assert api.get("/static/vendor/nothing.js").status == 404
    assert api.get("/static/vendor").status in (403, 404)


def test_local_stage_draws_the_map_without_tiles(api, aws) -> None:
    r = api.get("/portal/config")
    assert r.status == 200
    assert r.json["map"]["tiles_url"] is None


def test_production_uses_openstreetmap_and_the_csp_allows_only_its_tiles(monkeypatch) -> None:
    monkeypatch.setenv("STAGE", "prod")
    monkeypatch.delenv("MAP_TILES_URL", raising=False)
    settings.cache_clear()
    try:
        assert settings().map_tiles_url == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
        from chalicelib.api.middleware import _tile_origins

        origins = _tile_origins()
        assert origins == ("https://tile.openstreetmap.org",)
        csp = security_headers("/", local=False, image_origins=origins)["Content-Security-Policy"]
        img = next(d for d in csp.split(";") if d.strip().startswith("img-src"))
        assert "https://tile.openstreetmap.org" in img
        connect = next(d for d in csp.split(";") if d.strip().startswith("connect-src"))
        assert "openstreetmap" not in connect
    finally:
        settings.cache_clear()


def test_streets_of_a_served_city_with_building_points(api, aws) -> None:
    r = api.get("/streets?city=Wroc%C5%82aw")
    assert r.status == 200
    body = r.json
    assert {"Wrocław", "Łódź"} <= set(body["cities"])
    legnicka = next(s for s in body["streets"] if s["name"] == "ul. Legnicka")
    assert len(legnicka["line"]) >= 2
    numbers = {b["number"]: b["at"] for b in legnicka["buildings"]}
    assert {"10", "12", "14"} <= set(numbers)
    lon, lat = numbers["12"]
    assert 16.9 < lon < 17.1 and 51.0 < lat < 51.2  # in Wrocław


@pytest.mark.parametrize("query", ["", "?city="])
def test_streets_needs_a_city(api, aws, query: str) -> None:
    r = api.get("/streets" + query)
    assert r.status == 400
    assert r.headers["Content-Type"].startswith("application/problem+json")


def test_unknown_city_has_no_streets(api, aws) -> None:
    r = api.get("/streets?city=Gda%C5%84sk")
    assert r.status == 200 and r.json["streets"] == []
