"""Messages of invoices and corrections (Polish, English)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "invoices.not_correctable": (
        "Tej faktury nie można skorygować w ten sposób.",
        "This invoice cannot be corrected this way.",
    ),
    "invoices.no_change": (
        "Korekta nic nie zmienia: podane zużycie jest takie samo jak na fakturze.",
        "The correction changes nothing: the usage given equals the invoice's.",
    ),
    "invoices.correction_exists": (
        "Ta korekta została już wystawiona.",
        "This correction has already been issued.",
    ),
    "invoices.negative_usage": (
        "Zużycie nie może być ujemne.",
        "Consumption cannot be negative.",
    ),
    "invoices.implausible_usage": (
        "Zużycie nieprawdopodobne dla tej umowy i okresu (najwyżej {max}).",
        "Consumption implausible for this contract and period (at most {max}).",
    ),
    "invoices.correction_refused": (
        "Korekta odrzucona: podane zużycie jest niedopuszczalne.",
        "Correction refused: the consumption given is not acceptable.",
    ),
    "invoices.correction_too_large": (
        "Kwota korekty przekracza dopuszczalny limit.",
        "The correction amount exceeds the allowed limit.",
    ),
    "invoices.ambiguous_register": (
        "Ten rejestr występuje na kilku licznikach faktury; korekta musi wskazać licznik.",
        "This register is on several meters of the invoice; the correction must name the meter.",
    ),
    "invoices.estimate_settled": (
        "Faktura {number} opierała się na odczycie szacunkowym, który rozliczył już późniejszy "
        "odczyt rzeczywisty (albo faktura za kolejny okres). Korekta rozliczyłaby tę samą "
        "różnicę drugi raz.",
        "Invoice {number} was based on an estimate already settled by a later actual reading "
        "(or the next period's invoice). A correction would settle the same difference twice.",
    ),
    "invoices.later_period_invoiced": (
        "Za kolejny okres wystawiono już fakturę od odczytu z faktury {number}; najpierw "
        "skoryguj fakturę najnowszą.",
        "The next period was already invoiced from the reading of invoice {number}; correct "
        "the latest invoice first.",
    ),
    "invoices.four_eyes_same_person": (
        "Korektę musi zatwierdzić inna osoba niż ta, która o nią wnioskowała.",
        "A correction must be approved by someone other than the person who requested it.",
    ),
    "invoices.request_decided": (
        "Ten wniosek o korektę został już rozpatrzony.",
        "This correction request has already been decided.",
    ),
    "invoices.request_stale": (
        "Stan faktury zmienił się od złożenia wniosku; złóż wniosek ponownie.",
        "The invoice changed since the request was made; make the request again.",
    ),
}
