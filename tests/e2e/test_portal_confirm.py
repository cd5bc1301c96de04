"""Destructive staff actions ask first (issue 16 item 6): disabling a portal login, booking
or returning an unmatched credit (closing an outage: tests/e2e/test_portal_walk.py). The
question is a modal dialog in the chosen language that the keyboard can use: focus starts on
"Cancel", Escape cancels, Tab reaches the confirming button, and focus returns to the
control that opened it. Nothing is sent until the user confirms."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import Stack, open_as

LOGIN = "10000003"  # a demo customer no other browser test logs in as


def _enabled(stack: Stack) -> bool:
    tokens = stack.tokens("50000001")
    status, body = stack.get(
        f"/admin/logins/{LOGIN}", {"Authorization": "Bearer " + tokens["access_token"]}
    )
    assert status == 200, body
    return bool(body["enabled"])


def _posts(page: Any) -> list[str]:
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    return sent


def test_disabling_a_login_asks_first_by_keyboard_in_both_languages(page, stack: Stack) -> None:
    open_as(page, stack, "50000001", f"#/admin/logins/{LOGIN}")
    sent = _posts(page)
    assert _enabled(stack)
    toggle = page.locator("#login-toggle")
    toggle.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.confirm[open]")
    dialog.wait_for()
    assert f"Wyłączyć login {LOGIN}?" in dialog.inner_text()
    assert dialog.get_attribute("role") == "alertdialog"
    # Focus starts on "Cancel"; Escape cancels and gives focus back to the button.
    assert page.evaluate("document.activeElement.textContent") == "Anuluj"
    page.keyboard.press("Escape")
    dialog.wait_for(state="detached")
    assert page.evaluate("document.activeElement.id") == "login-toggle"
    assert sent == [] and _enabled(stack)

    # In English, by keyboard: Tab stays inside the dialog and reaches the confirming button.
    page.click("#lang-switch")
    page.wait_for_function("document.documentElement.lang === 'en'")
    page.locator("#login-toggle", has_text="Disable the login").focus()
    page.keyboard.press("Enter")
    dialog.wait_for()
    text = dialog.inner_text()
    assert f"Disable the login {LOGIN}?" in text and "Anuluj" not in text, text
    assert page.evaluate("document.activeElement.textContent") == "Cancel"
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.textContent") == "Disable the login"
    page.keyboard.press("Enter")
    page.wait_for_selector("#login-toggle:has-text('Enable the login')")
    assert not _enabled(stack)
    assert any(url.endswith(f"/admin/logins/{LOGIN}/disable") for url in sent), sent

    # Enabling is not destructive: no question.
    page.click("#login-toggle")
    page.wait_for_selector("#login-toggle:has-text('Disable the login')")
    assert page.locator("dialog.confirm").count() == 0
    assert _enabled(stack)


def test_booking_an_unmatched_credit_asks_first(page, stack: Stack) -> None:
    open_as(page, stack, "50000001", "#/admin/suspense")
    sent = _posts(page)
    row = page.locator("tr[data-ref='DEMO-2026-0005']")
    row.locator("input").fill("100004")
    row.locator("button", has_text="Zaksięguj").click()
    dialog = page.locator("dialog.confirm[open]")
    dialog.wait_for()
    text = dialog.inner_text()
    assert "DEMO-2026-0005" in text and "100004" in text and "zł" in text, text
    dialog.locator("button.secondary").click()
    dialog.wait_for(state="detached")
    row.locator("button", has_text="Zwróć").click()
    assert "do zwrotu" in dialog.inner_text()
    page.keyboard.press("Escape")
    dialog.wait_for(state="detached")
    assert row.count() == 1 and sent == []
