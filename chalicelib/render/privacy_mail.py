"""The "Moje dane" e-mail: the export is ready (a link to the portal, never the data)."""

from __future__ import annotations

from chalicelib.render.mail import Mail, compose, day, lang_of


def export_ready(lang: str, name: str, portal_link: str, expires: str) -> Mail:
    if lang_of(lang) == "en":
        return compose(
            "en",
            "Your data export is ready",
            [
                f"Hello {name},",
                "the export of the data we hold about you is ready. Download it after logging "
                f"in to e-BOK: {portal_link}",
                f"The download link stays valid until {day(expires)}.",
            ],
            mandatory=True,
        )
    return compose(
        "pl",
        "Eksport Twoich danych jest gotowy",
        [
            f"Dzień dobry {name},",
            "eksport danych, które przetwarzamy na Twój temat, jest gotowy. Pobierzesz go po "
            f"zalogowaniu do e-BOK: {portal_link}",
            f"Link do pobrania będzie aktywny do {day(expires)}.",
        ],
        mandatory=True,
    )
