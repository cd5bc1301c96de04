"""Pure rules of registration and login: access codes, password policy, lockout window,
rate-limit windows, document types."""

from __future__ import annotations

import re

from chalicelib.domain import credentials as rules
from chalicelib.domain import documents


def test_user_identifiers_are_eight_digits_without_leading_zero() -> None:
    ids = {rules.new_username() for _ in range(200)}
    assert all(re.fullmatch(r"[1-9]\d{7}", u) for u in ids)
    assert len(ids) > 190  # random, not a sequence


def test_pins_meet_the_pool_password_policy() -> None:
    for _ in range(200):
        pin = rules.new_pin()
        assert len(pin) == rules.PIN_LENGTH
        assert rules.password_problems(pin) == []
        assert not set(pin) & set("0O1lI")  # nothing to misread in an e-mail


def test_password_policy_names_each_problem() -> None:
    assert rules.password_problems("Krotkie1") == ["auth.password_short"]
    assert rules.password_problems("wszystkiemale1") == ["auth.password_case"]
    assert rules.password_problems("BezCyfrHasla") == ["auth.password_digit"]
    assert rules.password_problems("Dobre-Haslo-2026") == []


def test_reset_codes_are_hashed_with_salt() -> None:
    code = rules.new_reset_code()
    assert re.fullmatch(r"\d{6}", code)
    stored = rules.hash_code(code, "s1")
    assert code not in stored
    assert rules.code_matches(code, "s1", stored)
    assert not rules.code_matches(code, "s2", stored)
    assert not rules.code_matches("000000" if code != "000000" else "111111", "s1", stored)


def test_fifth_failure_within_fifteen_minutes_locks_for_fifteen_minutes() -> None:
    state = rules.LockState(failures=(), locked_until=0)
    t = 1_000_000
    for i in range(4):
        state = rules.after_failure(state, t + i * 60)
        assert not state.locked(t + i * 60)
    state = rules.after_failure(state, t + 240)
    assert state.locked(t + 240)
    assert state.locked_until == t + 240 + 15 * 60
    assert state.retry_after(t + 300) == 15 * 60 - 60
    assert not state.locked(t + 240 + 15 * 60)


def test_failures_older_than_the_window_are_forgotten() -> None:
    state = rules.LockState(failures=(), locked_until=0)
    t = 1_000_000
    for i in range(4):
        state = rules.after_failure(state, t + i)
    state = rules.after_failure(state, t + 15 * 60 + 10)  # the first four are out of the window
    assert not state.locked(t + 15 * 60 + 10)
    assert len(state.failures) == 1


def test_rate_windows_and_opaque_keys() -> None:
    assert rules.window_start(7265, 3600) == 7200
    assert rules.opaque_key("register.source", "10.0.0.1") != rules.opaque_key(
        "register.source", "10.0.0.2"
    )
    assert "10.0.0.1" not in rules.opaque_key("register.source", "10.0.0.1")


def test_references_compare_without_case_and_spaces() -> None:
    assert rules.normalise_reference(" c/2024/0001 ") == rules.normalise_reference("C/2024/0001")
    assert rules.normalise_reference("FV 2026 / 10") == "FV2026/10"


def test_document_types_are_recognised_by_their_first_bytes() -> None:
    assert documents.sniff(b"%PDF-1.7\n") == "application/pdf"
    assert documents.sniff(b"\xff\xd8\xff\xe1xx") == "image/jpeg"
    assert documents.sniff(b"\x89PNG\r\n\x1a\n....") == "image/png"
    assert documents.sniff(b"PK\x03\x04") is None  # a zip (or docx)
    assert documents.sniff(b"") is None


def test_required_documents_depend_on_krs_and_the_signer() -> None:
    assert documents.required_kinds(True, True) == ["krs_extract", "regon_certificate"]
    assert documents.required_kinds(True, False) == [
        "krs_extract",
        "regon_certificate",
        "power_of_attorney",
    ]
    assert documents.required_kinds(False, True) == ["regon_certificate", "power_of_attorney"]


def test_file_names_are_made_safe() -> None:
    assert documents.safe_filename("C:\\Users\\x\\odpis KRS (1).pdf") == "odpis_KRS_1_.pdf"
    assert documents.safe_filename("../../etc/passwd") == "passwd"
    assert documents.safe_filename("ąę.pdf") == "pdf"
    assert len(documents.safe_filename("a" * 300 + ".pdf")) <= 80


def test_email_hint_masks_the_address() -> None:
    from chalicelib.services.registration import mask_email

    assert mask_email("jan.kowalski@example.pl") == "j***@e***.pl"
    assert "kowalski" not in mask_email("jan.kowalski@example.pl")
