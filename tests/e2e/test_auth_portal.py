"""The portal as a new customer meets it: register online, read the e-mail in the outbox,
log in with the PIN, set a password, see the overview; an institution registers with
documents and an administrator activates it."""

from __future__ import annotations

import re
from pathlib import Path

from tests.e2e.conftest import Stack, open_as, settled

NEW_PASSWORD = "Katarzyna-Haslo-2026"


def _codes(stack: Stack, to: str) -> tuple[str, str]:
    mails = [
        m for m in stack.outbox()["emails"] if to in m["to"] and "kody dostępu" in m["subject"]
    ]
    assert mails, f"no access-codes e-mail to {to}"
    text = mails[0]["text"]
    user = re.search(r"Identyfikator użytkownika:\s*(\d{8,})", text)
    pin = re.search(r"Jednorazowy PIN:\s*(\S+)", text)
    assert user and pin, text
    return user.group(1), pin.group(1)


def test_register_read_email_login_with_pin_change_password_overview(page, stack: Stack) -> None:
    page.goto(stack.base_url + "/#/login")
    page.click("#register-link")
    page.click("#register-individual")
    page.fill("#f-customer_no", "100004")
    page.fill("#f-pesel", "90090515836")
    page.fill("#f-email", "katarzyna.wojcik@example.pl")
    page.fill("#f-verification_no", "C/2025/0004")
    page.click("#register-submit")
    page.wait_for_selector("#register-done")
    assert "k***@e***.pl" in page.locator("#register-done").inner_text()

    username, pin = _codes(stack, "katarzyna.wojcik@example.pl")
    page.goto(stack.base_url + "/#/login")
    settled(page, "#/login")
    page.fill("#f-username", username)
    page.fill("#f-password", pin)
    page.click("#login-submit")
    page.wait_for_selector("#new-password-form")
    page.fill("#f-new_password", NEW_PASSWORD)
    page.fill("#f-repeat", NEW_PASSWORD)
    page.click("#new-password-submit")

    page.wait_for_selector(".page-account h2")
    text = page.locator("main").inner_text()
    assert "Katarzyna Wójcik" in text and "C/2025/0004" in text
    assert username in page.locator("#who").inner_text()
    page.screenshot(path=str(stack.state_dir / "registered-overview.png"), full_page=True)

    # Log out (the session is revoked) and back in with the new password.
    tokens = page.evaluate("JSON.parse(sessionStorage.getItem('ebok.tokens'))")
    page.click("#logout")
    page.wait_for_function("!sessionStorage.getItem('ebok.tokens')")
    status, _ = stack.get("/me", {"Authorization": "Bearer " + tokens["access_token"]})
    assert status in (401, 403)
    page.goto(stack.base_url + "/#/login")
    settled(page, "#/login")  # the portal has drawn the form after the logout's own redirect
    page.fill("#f-username", username)
    page.fill("#f-password", NEW_PASSWORD)
    page.click("#login-submit")
    page.wait_for_selector(".page-account h2")


def test_wrong_data_registers_nothing(page, stack: Stack) -> None:
    before = len(stack.outbox()["emails"])
    page.goto(stack.base_url + "/#/register/individual")
    page.fill("#f-customer_no", "100003")
    page.fill("#f-pesel", "90090515836")
    page.fill("#f-email", "tomasz.lewandowski@example.pl")
    page.fill("#f-verification_no", "C/2022/0203")
    page.click("#register-submit")
    page.wait_for_selector(".form-error:not([hidden])")
    assert "nie zgadzają się" in page.locator(".form-error").inner_text()
    assert len(stack.outbox()["emails"]) == before


def test_institution_uploads_documents_and_admin_activates(
    page, stack: Stack, tmp_path: Path
) -> None:
    from devstack.seed_registrations import sample_pdf

    krs = tmp_path / "odpis-krs.pdf"
    krs.write_bytes(sample_pdf("Odpis z KRS", ["KRS 0000054321"]))
    regon = tmp_path / "regon.pdf"
    regon.write_bytes(sample_pdf("REGON", ["REGON 123456785"]))
    fake = tmp_path / "zdjecie.pdf"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)  # a PNG pretending to be a PDF

    page.goto(stack.base_url + "/#/register/institution")
    page.wait_for_selector("#institution-form")
    for sel, value in {
        "#f-name": "Wspólnota Mieszkaniowa Słoneczna 5",
        "#f-nip": "5260001246",
        "#f-regon": "123456785",
        "#f-krs": "0000054321",
        "#f-address-street": "ul. Słoneczna",
        "#f-address-building": "5",
        "#f-address-postal_code": "50-001",
        "#f-address-city": "Wrocław",
        "#f-email": "zarzad@wm-sloneczna.example.pl",
        "#f-contact-name": "Ewa Zarządcza",
        "#f-contact-email": "ewa@wm-sloneczna.example.pl",
    }.items():
        page.fill(sel, value)
    page.set_input_files("#f-documents-krs_extract", str(fake))
    page.set_input_files("#f-documents-regon_certificate", str(regon))
    page.check("#f-accept_regulations")
    page.click("#institution-submit")
    page.wait_for_selector(
        "#f-documents-krs_extract-error:has-text('PDF')"
    )  # refused by the server
    page.set_input_files("#f-documents-krs_extract", str(krs))
    page.click("#institution-submit")
    page.wait_for_selector("#institution-done")
    reg_id = re.search(r"\b([0-9A-Z]{26})\b", page.locator("#institution-done").inner_text())
    assert reg_id

    open_as(page, stack, "50000001", f"#/admin/registrations/{reg_id.group(1)}")
    page.wait_for_selector("#documents")
    assert page.locator(".document-link").count() == 2
    page.fill("#f-manager_id", "M1")
    page.click("#activate-submit")
    page.wait_for_selector(".flash.ok")
    assert "Konto aktywowane" in page.locator(".flash.ok").inner_text()
    username, _ = _codes(stack, "zarzad@wm-sloneczna.example.pl")
    assert len(username) >= 8
    page.goto(stack.base_url + "/#/admin/audit")
    page.wait_for_selector("#audit tbody tr")
    assert "registration.activate" in page.locator("#audit").inner_text()


def test_a_late_401_for_an_ended_session_keeps_the_next_one(page, stack: Stack) -> None:
    """A request sent with the token of a session that has since ended (logged out in another
    tab, answered after the next login) is refused, and the newer session stays."""
    old = stack.tokens("10000001")
    status, _ = stack.post("/auth/logout", None, {"Authorization": "Bearer " + old["access_token"]})
    assert status == 204
    new = stack.tokens("10000001")
    open_as(page, stack, "10000001")
    kept = page.evaluate(
        """async ([old, fresh]) => {
          const { api } = await import("/static/app.js");
          sessionStorage.setItem("ebok.tokens", JSON.stringify(old));
          const late = api("GET", "/me");  // sent with the old session's token
          sessionStorage.setItem("ebok.tokens", JSON.stringify(fresh));
          const status = await late.then(() => 200, (e) => e.status);
          return { status, tokens: JSON.parse(sessionStorage.getItem("ebok.tokens") || "null") };
        }""",
        [old, new],
    )
    assert kept["status"] in (401, 403)  # the authorizer refuses it
    assert kept["tokens"] and kept["tokens"]["access_token"] == new["access_token"]
    assert page.url.endswith("#/account")
