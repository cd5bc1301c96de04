"""One look for every e-mail: a plain-text part and an HTML part with the utility's name,
one language per message (the customer's), and the unsubscribe footer and headers
(RFC 2369 ``List-Unsubscribe``, RFC 8058 ``List-Unsubscribe-Post``) on every message that
is not mandatory.
"""

from __future__ import annotations

import html as _html
from collections.abc import Sequence
from dataclasses import dataclass, field

from chalicelib.config import settings
from chalicelib.domain.money import format_pln

TABLE = "{table}"  # a paragraph holding only this marker is where the table goes


@dataclass(frozen=True)
class Mail:
    subject: str
    text: str
    html: str
    headers: dict[str, str] = field(default_factory=dict)

    def parts(self) -> tuple[str, str, str]:
        return self.subject, self.text, self.html


def lang_of(lang: str | None) -> str:
    return "en" if lang == "en" else "pl"


def pln(grosze: int, lang: str = "pl") -> str:
    """ "1 234,56 zł" in Polish, "PLN 1,234.56" in English."""
    if lang_of(lang) == "en":
        sign = "-" if grosze < 0 else ""
        whole, cents = divmod(abs(grosze), 100)
        return f"{sign}PLN {whole:,}.{cents:02d}"
    return format_pln(grosze).replace("\u00a0", " ")


def day(iso: str) -> str:
    y, m, d = iso[:10].split("-")
    return f"{d}.{m}.{y}"


def signature(lang: str) -> str:
    s = settings()
    if lang_of(lang) == "en":
        return (
            f"The e-BOK team\n{s.seller_name}, {s.seller_address}\n"
            "This is an automatic message — please do not reply."
        )
    return (
        f"Zespół e-BOK\n{s.seller_name}, {s.seller_address}\n"
        "To jest wiadomość automatyczna — prosimy na nią nie odpowiadać."
    )


def footer(lang: str, unsubscribe_url: str | None, mandatory: bool) -> str:
    en = lang_of(lang) == "en"
    if mandatory:
        return (
            "We send this notice whatever your notification settings: the law and your "
            "contract require it."
            if en
            else "Tę wiadomość wysyłamy niezależnie od ustawień powiadomień, ponieważ "
            "wymagają tego przepisy i umowa."
        )
    if unsubscribe_url:
        return (
            f"To stop messages of this kind, unsubscribe with one click: {unsubscribe_url}"
            if en
            else "Aby nie otrzymywać wiadomości tego rodzaju, wypisz się jednym kliknięciem: "
            f"{unsubscribe_url}"
        )
    return ""


def unsubscribe_headers(url: str | None) -> dict[str, str]:
    if not url:
        return {}
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def compose(
    lang: str,
    subject: str,
    paragraphs: Sequence[str],
    *,
    rows: Sequence[Sequence[str]] = (),
    header: Sequence[str] = (),
    unsubscribe_url: str | None = None,
    mandatory: bool = False,
) -> Mail:
    """The message in one language: paragraphs (a ``TABLE`` paragraph shows ``rows``), the
    signature and the footer; the HTML part carries the utility's name as its header."""
    table_text = "\n".join("  " + "  ".join(r) for r in rows)
    body = [table_text if p == TABLE else p for p in paragraphs]
    tail = [signature(lang)]
    note = footer(lang, unsubscribe_url, mandatory)
    if note:
        tail.append(note)
    text = "\n\n".join([*body, *tail]) + "\n"
    return Mail(
        subject,
        text,
        _html_part(lang, subject, paragraphs, rows, header, tail),
        unsubscribe_headers(None if mandatory else unsubscribe_url),
    )


def _html_part(
    lang: str,
    subject: str,
    paragraphs: Sequence[str],
    rows: Sequence[Sequence[str]],
    header: Sequence[str],
    tail: Sequence[str],
) -> str:
    e = _html.escape
    name = e(settings().seller_name)
    table = ""
    if rows:
        head = "".join(f"<th align='left'>{e(h)}</th>" for h in header)
        body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in rows)
        table = (
            "<table cellpadding='4' border='1' style='border-collapse:collapse'>"
            f"<tr>{head}</tr>{body}</table>"
        )
    parts = [
        table if p == TABLE else "<p>" + e(p).replace("\n", "<br>") + "</p>" for p in paragraphs
    ]
    foot = "".join(
        "<p style='color:#555;font-size:12px'>" + e(p).replace("\n", "<br>") + "</p>" for p in tail
    )
    return (
        f"<!doctype html><html lang='{lang_of(lang)}'><head><meta charset='utf-8'>"
        f"<title>{e(subject)}</title></head><body style='font-family:sans-serif'>"
        f"<div style='background:#b3262e;color:#fff;padding:12px;font-weight:bold'>{name}</div>"
        f"<div style='padding:12px'>{''.join(parts)}</div><hr>{foot}</body></html>"
    )
