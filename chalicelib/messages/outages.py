"""Messages of the outages area (Polish, English)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "outages.area_type": (
        "Obszar musi być geometrią GeoJSON typu Polygon lub MultiPolygon.",
        "The area must be a GeoJSON Polygon or MultiPolygon geometry.",
    ),
    "outages.area_coordinates": (
        "Nieprawidłowe współrzędne obszaru: pierścienie muszą być zamknięte, długość "
        "geograficzna w zakresie -180..180, szerokość -90..90.",
        "Invalid area coordinates: rings must be closed, longitude within -180..180, "
        "latitude within -90..90.",
    ),
    "outages.area_too_big": (
        "Geometria ma zbyt wiele punktów (najwyżej 2000).",
        "The geometry has too many points (at most 2000).",
    ),
    "outages.line_coordinates": (
        "Przebieg ulicy musi być listą co najmniej dwóch punktów [długość, szerokość].",
        "A street line must be a list of at least two [longitude, latitude] points.",
    ),
    "outages.time": (
        "Podaj datę i godzinę w formacie ISO 8601, np. 2026-03-12T08:00 (czas warszawski).",
        "Give a date and time in ISO 8601, e.g. 2026-03-12T08:00 (Warsaw time).",
    ),
    "outages.end_before_start": (
        "Przewidywany koniec musi być późniejszy niż początek.",
        "The expected end must be later than the start.",
    ),
    "outages.ended_before_start": (
        "Koniec wyłączenia nie może być wcześniejszy niż jego początek.",
        "An outage cannot end before it started.",
    ),
    "outages.closed": (
        "To wyłączenie zostało już zakończone i nie można go zmieniać.",
        "This outage has already been closed and cannot be changed.",
    ),
    "outages.version_conflict": (
        "Ktoś w międzyczasie zmienił to wyłączenie. Odśwież dane i spróbuj ponownie.",
        "Someone changed this outage in the meantime. Reload it and try again.",
    ),
    "outages.street_twice": (
        "Ta ulica jest już na liście.",
        "This street is already on the list.",
    ),
    "outages.query_window": (
        "Koniec przedziału czasu musi być późniejszy niż jego początek.",
        "The end of the time window must be later than its start.",
    ),
}
