"""Registration documents: which files are accepted and how their type is recognised.

The declared content type is not trusted: the first bytes of the stored object must be those
of a PDF, JPEG or PNG file and agree with the declared type.
"""

from __future__ import annotations

import re

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024  # 10 MB
MAX_DOCUMENTS = 6

CONTENT_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
}

# Dokumenty rejestrowe: odpis z KRS, zaświadczenie o numerze REGON, pełnomocnictwo.
KINDS = ("krs_extract", "regon_certificate", "power_of_attorney", "other")

_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
MAGIC_BYTES = 8


def sniff(head: bytes) -> str | None:
    """The content type recognised from a file's first bytes, or None."""
    for magic, ctype in _MAGIC:
        if head.startswith(magic):
            return ctype
    return None


def required_kinds(has_krs: bool, signer_in_krs: bool) -> list[str]:
    """A KRS extract when the entity is in KRS, always the REGON certificate, and a power of
    attorney when the person signing is not named in KRS."""
    kinds = ["regon_certificate"]
    if has_krs:
        kinds.insert(0, "krs_extract")
    if not has_krs or not signer_in_krs:
        kinds.append("power_of_attorney")
    return kinds


def safe_filename(name: str) -> str:
    """A file name safe for an S3 key and a Content-Disposition header."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._") or "dokument"
    return base[:80]
