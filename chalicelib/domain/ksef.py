"""KSeF identifiers and the verification link (pure).

- KOD I (``kody-qr.md`` of ``CIRFMF/ksef-docs``, "1. KOD I – Weryfikacja i pobieranie
  faktury"): ``<QR base>/invoice/<seller NIP>/<issue date DD-MM-RRRR>/<SHA-256 of the invoice
  file, Base64URL>``. The bases per environment are in the same document's "Środowiska"
  table (``https://qr-test.ksef.mf.gov.pl``, ``https://qr-demo.ksef.mf.gov.pl``,
  ``https://qr.ksef.mf.gov.pl``); the older ``…/client-app/invoice`` form was replaced there
  in December 2025. The hash is of the exact bytes sent; Base64URL without ``=`` padding, as
  in the document's example (43 characters).
- The KSeF number (``faktury/numer-ksef.md``): ``NIP-RRRRMMDD-<12 hex>-<CRC-8>``, 35
  characters, the checksum CRC-8 (polynomial 0x07, initial 0x00) of the first 32.
"""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import date

KSEF_NUMBER = re.compile(r"^\d{10}-\d{8}-[0-9A-F]{12}-[0-9A-F]{2}$")
OFFLINE = "OFFLINE"


def xml_hash_b64url(xml: bytes) -> str:
    """SHA-256 of the invoice file in Base64URL without padding."""
    return base64.urlsafe_b64encode(hashlib.sha256(xml).digest()).decode().rstrip("=")


def kod_i_link(qr_base: str, seller_nip: str, issue_date: date, xml: bytes) -> str:
    return (
        f"{qr_base.rstrip('/')}/invoice/{seller_nip}/{issue_date.strftime('%d-%m-%Y')}/"
        f"{xml_hash_b64url(xml)}"
    )


def crc8(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def ksef_number(nip: str, accepted_on: date, technical: str) -> str:
    """A KSeF number from its parts (``technical``: 12 upper-case hex digits)."""
    data = f"{nip}-{accepted_on.strftime('%Y%m%d')}-{technical}"
    return f"{data}-{crc8(data.encode()):02X}"


def valid_ksef_number(number: str) -> bool:
    if not KSEF_NUMBER.match(number or ""):
        return False
    return f"{crc8(number[:32].encode()):02X}" == number[33:]


def qr_label(number: str | None) -> str:
    """What is printed under KOD I: the KSeF number, or OFFLINE while none is assigned."""
    return number or OFFLINE
