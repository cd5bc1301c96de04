"""Messages of the documents area (Polish, English)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "documents.regulations_outdated": (
        "Obowiązuje regulamin w wersji {version} — zaakceptuj tę wersję.",
        "The regulations in force are version {version} — accept that version.",
    ),
    "documents.regulations_exists": (
        "Wersja {version} regulaminu jest już opublikowana.",
        "Version {version} of the regulations is published already.",
    ),
    "documents.published_past": (
        "Nowa wersja nie może obowiązywać wstecz.",
        "A new version cannot take effect in the past.",
    ),
}
