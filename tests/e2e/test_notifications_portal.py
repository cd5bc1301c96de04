"""In Chromium against the local stack: confirming a mobile number for SMS on "Powiadomienia
i zgody" (the code arrives by SMS, a wrong code is refused with the attempts left, the right
one confirms it) and choosing SMS for new invoices afterwards."""

from __future__ import annotations

import re

from tests.e2e.conftest import Stack, open_as

PHONE = "+48600100299"


def _codes(stack: Stack) -> list[str]:
    texts = [s["message"] for s in stack.outbox()["sms"] if s["phone"] == PHONE]
    return [m.group(0) for t in texts for m in [re.search(r"\b\d{6}\b", t)] if m]


def test_confirm_a_mobile_number_then_choose_sms(page, stack: Stack) -> None:
    open_as(page, stack, "10000001", "#/preferences")
    page.wait_for_selector("#mobile-form")
    assert page.locator("input[name='invoice_new.sms']").count() == 0  # no number yet
    page.fill("#f-phone", "600 100 299")
    page.click("#mobile-form button[type=submit]")
    page.wait_for_selector("#mobile-confirm")
    (code,) = _codes(stack)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    page.fill("#f-code", wrong)
    page.click("#mobile-confirm button[type=submit]")
    page.wait_for_selector("#f-code[aria-invalid='true']")
    assert "Pozostałe próby: 4" in page.locator("#f-code-error").inner_text()
    page.fill("#f-code", code)
    page.click("#mobile-confirm button[type=submit]")
    page.wait_for_selector("#mobile-verified")
    assert PHONE in page.locator("#mobile-verified").inner_text()
    box = page.locator("input[name='invoice_new.sms']")
    box.wait_for()
    box.check()
    page.click("#preferences-form button[type=submit]")
    # the box is checked before the save ends; the page says "saved" once it has been stored
    page.wait_for_selector(".flash.ok:has-text('Ustawienia zapisane.')")
    page.wait_for_function(
        "() => document.querySelector(\"input[name='invoice_new.sms']\")?.checked === true"
    )
    status, view = stack.get(
        "/customers/100001/preferences",
        headers={"Authorization": "Bearer " + stack.tokens("10000001")["access_token"]},
    )
    assert status == 200 and view["sms_number"] == PHONE
    assert next(t for t in view["topics"] if t["topic"] == "invoice_new")["chosen"] == [
        "email",
        "sms",
    ]
    page.screenshot(path=str(stack.state_dir / "mobile.png"), full_page=True)


def test_watch_an_address_for_outage_e_mails_then_stop(page, stack: Stack) -> None:
    """A city not served is refused at its field and nothing is stored; an address in Łódź
    is watched, listed and removed again, each at once."""
    headers = {"Authorization": "Bearer " + stack.tokens("10000003")["access_token"]}

    def watched() -> list:
        status, view = stack.get("/customers/100003/preferences", headers=headers)
        assert status == 200
        return view["outage_addresses"]

    open_as(page, stack, "10000003", "#/preferences")
    page.wait_for_selector("#watch-form")
    page.fill("#f-city", "Gdańsk")
    page.fill("#f-street", "ul. Długa")
    page.click("#watch-form button[type=submit]")
    page.wait_for_selector("#f-city[aria-invalid='true']")
    assert page.locator("#f-city-error").inner_text().strip()
    assert page.input_value("#f-street") == "ul. Długa"  # what was typed is kept
    assert watched() == []
    page.fill("#f-city", "Łódź")
    page.fill("#f-street", "ul. Zgierska")
    page.fill("#f-building", "45")
    page.click("#watch-form button[type=submit]")
    page.wait_for_selector("#watched-list li:has-text('ul. Zgierska 45, Łódź')")
    (watch,) = watched()
    assert (watch["city"], watch["street"], watch["building"]) == ("Łódź", "ul. Zgierska", "45")
    page.click(f"#watched-list button[data-watch='{watch['watch_id']}']")
    page.wait_for_selector("#watched-list", state="detached")
    assert watched() == []
