"""Pure foundation rules: identifiers, money, ids, language, redaction, bank accounts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from chalicelib.domain import bank, identifiers, money
from chalicelib.domain.ids import new_id
from chalicelib.domain.principal import Principal
from chalicelib.i18n import negotiate, t
from chalicelib.observability import redact


@pytest.mark.parametrize(
    ("value", "ok"),
    [("44051401359", True), ("44051401358", False), ("4405140135", False), ("abc", False)],
)
def test_pesel(value: str, ok: bool) -> None:
    assert (identifiers.clean_pesel(value) is not None) is ok


def test_nip_regon_krs() -> None:
    assert identifiers.clean_nip("897-101-88-28") == "8971018828"
    assert identifiers.clean_nip("8971018829") is None
    assert identifiers.clean_regon("930904121") == "930904121"
    assert identifiers.clean_regon("930904122") is None
    assert identifiers.clean_krs("0000123456") == "0000123456"
    assert identifiers.clean_krs("123") is None


def test_phone_and_postal_code() -> None:
    assert identifiers.clean_phone("600 100 200") == "+48600100200"
    assert identifiers.clean_phone("+48 600-100-200") == "+48600100200"
    assert identifiers.clean_phone("12") is None
    assert identifiers.clean_postal_code("53-674") == "53-674"
    assert identifiers.clean_postal_code("53674") is None


def test_money_rounds_half_up_to_the_grosz() -> None:
    assert money.to_grosze(Decimal("0.005")) == 1
    assert money.to_grosze(Decimal("0.004999")) == 0
    assert money.to_grosze(Decimal("1234.565")) == 123457
    assert money.format_pln(123456789) == "1\u00a0234\u00a0567,89\u00a0zł"
    assert money.format_pln(-5) == "-0,05\u00a0zł"


def test_ids_sort_by_time() -> None:
    a, b = new_id(1_700_000_000_000), new_id(1_700_000_000_001)
    assert len(a) == 26 and a < b


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        (None, "pl"),
        ("", "pl"),
        ("en", "en"),
        ("en-GB,en;q=0.9", "en"),
        ("de,en;q=0.5,pl;q=0.9", "pl"),
        ("fr", "pl"),
    ],
)
def test_language_negotiation(header: str | None, lang: str) -> None:
    assert negotiate(header) == lang


def test_messages_in_both_languages() -> None:
    assert t("error.not_found", "pl") == "Nie znaleziono zasobu."
    assert t("error.not_found", "en") == "The resource was not found."


def test_redaction_hides_personal_data_but_not_dates() -> None:
    line = redact(
        {
            "message": "PESEL 44051401359 tel +48 600 100 200 mail jan@example.pl",
            "timestamp": "2026-11-21 06:41:16",
        }
    )
    assert "44051401359" not in line["message"]
    assert "600 100 200" not in line["message"]
    assert "jan@example.pl" not in line["message"]
    assert line["timestamp"] == "2026-11-21 06:41:16"
    assert redact("customer 100001 period 2026-11") == "customer 100001 period 2026-11"


def test_virtual_account_has_valid_check_digits() -> None:
    from stdnum import iban

    nrb = bank.virtual_nrb("10901014", "9876", "100001")
    assert len(nrb) == 26
    assert iban.is_valid(bank.nrb_to_iban(nrb))
    assert bank.customer_no_from_nrb(bank.format_nrb(nrb), "10901014", "9876") == "100001"
    assert bank.customer_no_from_nrb("PL61109010140000071219812874", "10901014", "9876") is None


def test_principal_round_trips_through_authorizer_context() -> None:
    p = Principal("20000001", "building_manager", ("200001", "200002"))
    ctx = {**p.to_context(), "principalId": "20000001"}
    assert Principal.from_context(ctx) == p
    assert all(isinstance(v, str) for v in p.to_context().values())
