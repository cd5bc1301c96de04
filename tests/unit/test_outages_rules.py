"""Outage rules: street matching, quiet nights (Warsaw time, DST), GeoJSON, durations."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.domain import outages as rules


def test_street_keys_ignore_prefix_case_and_spaces() -> None:
    assert rules.street_key("ul. Legnicka") == rules.street_key("LEGNICKA") == "LEGNICKA"
    assert rules.street_key("al.  Jana Pawła II") == "JANA PAWŁA II"
    assert rules.street_key("Plac Grunwaldzki") == "GRUNWALDZKI"
    assert rules.street_key("Ulmowa") == "ULMOWA"  # a street name, not a prefix


def test_place_touches_premises() -> None:
    place = rules.Place(
        "Wrocław", (rules.Street("Legnicka", ("10", "12a")), rules.Street("ul. Grabiszyńska"))
    )
    assert place.touches("wrocław", "ul. Legnicka", "12A")
    assert not place.touches("Wrocław", "ul. Legnicka", "14")
    assert place.touches("Wrocław", "ul. Grabiszyńska", "999")
    assert not place.touches("Łódź", "ul. Legnicka", "10")
    premises = [("A", "Wrocław", "ul. Legnicka", "10"), ("B", "Wrocław", "ul. Legnicka", "11")]
    assert rules.affected_premises(place, premises) == ["A"]


@pytest.mark.parametrize(
    ("utc", "due"),
    [
        # winter (CET, UTC+1)
        (
            datetime(2026, 1, 15, 20, 59, tzinfo=UTC),
            datetime(2026, 1, 15, 20, 59, tzinfo=UTC),
        ),  # 21:59
        (
            datetime(2026, 1, 15, 21, 0, tzinfo=UTC),
            datetime(2026, 1, 16, 6, 0, tzinfo=UTC),
        ),  # 22:00
        (
            datetime(2026, 1, 15, 23, 30, tzinfo=UTC),
            datetime(2026, 1, 16, 6, 0, tzinfo=UTC),
        ),  # 00:30
        (
            datetime(2026, 1, 16, 5, 59, tzinfo=UTC),
            datetime(2026, 1, 16, 6, 0, tzinfo=UTC),
        ),  # 06:59
        (datetime(2026, 1, 16, 6, 0, tzinfo=UTC), datetime(2026, 1, 16, 6, 0, tzinfo=UTC)),  # 07:00
        # summer (CEST, UTC+2)
        (datetime(2026, 7, 1, 20, 30, tzinfo=UTC), datetime(2026, 7, 2, 5, 0, tzinfo=UTC)),  # 22:30
        # the night the clocks go forward: 07:00 CEST is 05:00 UTC
        (datetime(2026, 3, 28, 22, 0, tzinfo=UTC), datetime(2026, 3, 29, 5, 0, tzinfo=UTC)),
    ],
)
def test_planned_notices_wait_out_the_night(utc: datetime, due: datetime) -> None:
    assert rules.notice_due_at("planned", utc) == due
    assert rules.notice_due_at("failure", utc) == utc


def test_times_without_offset_are_warsaw() -> None:
    assert rules.parse_time("2026-03-12T08:00") == datetime(2026, 3, 12, 7, 0, tzinfo=UTC)
    assert rules.parse_time("2026-07-12T08:00") == datetime(2026, 7, 12, 6, 0, tzinfo=UTC)
    assert rules.parse_time("2026-03-12T08:00:00Z") == datetime(2026, 3, 12, 8, 0, tzinfo=UTC)
    assert rules.parse_time("jutro") is None
    assert (
        rules.duration_minutes(
            datetime(2026, 3, 12, 7, tzinfo=UTC), datetime(2026, 3, 12, 15, 30, tzinfo=UTC)
        )
        == 510
    )


def test_area_validation() -> None:
    square = [[17.0, 51.1], [17.1, 51.1], [17.1, 51.2], [17.0, 51.2], [17.0, 51.1]]
    assert rules.area_problem({"type": "Polygon", "coordinates": [square]}) is None
    assert rules.area_problem({"type": "MultiPolygon", "coordinates": [[square], [square]]}) is None
    assert (
        rules.area_problem(
            {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [square]}}
        )
        is None
    )
    assert rules.area_problem({"type": "LineString", "coordinates": square}) == "outages.area_type"
    assert (
        rules.area_problem({"type": "Polygon", "coordinates": [square[:-1]]})
        == "outages.area_coordinates"
    )
    assert (
        rules.area_problem(
            {"type": "Polygon", "coordinates": [[[200, 1], [1, 1], [1, 2], [200, 1]]]}
        )
        == "outages.area_coordinates"
    )
    assert (
        rules.area_problem(
            {"type": "Polygon", "coordinates": [[[True, 1], [1, 1], [1, 2], [True, 1]]]}
        )
        == "outages.area_coordinates"
    )
    big = [[17 + i / 10000, 51.0] for i in range(2100)] + [[17.0, 51.0]]
    assert rules.area_problem({"type": "Polygon", "coordinates": [big]}) == "outages.area_too_big"
    assert rules.line_problem([[17.0, 51.1]]) == "outages.line_coordinates"


def test_geometry_collects_area_and_street_lines() -> None:
    area = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}
    streets = [rules.Street("A", line=((0.0, 0.0), (1.0, 1.0))), rules.Street("B")]
    geo = rules.geometry(area, streets)
    assert geo is not None and [g["type"] for g in geo["geometries"]] == ["Polygon", "LineString"]
    assert rules.geometry(None, [rules.Street("B")]) is None


def test_polish_alphabetical_order() -> None:
    assert sorted(["Wrocław", "Łódź", "Lublin", "Śrem", "Szczecin"], key=rules.polish_order) == [
        "Lublin",
        "Łódź",
        "Szczecin",
        "Śrem",
        "Wrocław",
    ]
