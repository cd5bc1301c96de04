"""In Chromium against the local stack: switching a consent on "Powiadomienia i zgody" (the
history shows it), requesting "Moje dane", running the privacy job, and downloading the ZIP
through its short-lived link; the account manager's desk shows the customer's consents."""

from __future__ import annotations

import io
import json
import urllib.request
import zipfile

from tests.e2e.conftest import Stack, open_as


def test_switch_a_consent_and_download_my_data(page, stack: Stack) -> None:
    open_as(page, stack, "10000001", "#/preferences")
    page.wait_for_selector("#consents")
    box = page.locator("#consent-marketing_phone")
    assert not box.is_checked()  # never pre-ticked
    rows_before = page.locator(".consents-history tbody tr").count()
    box.check()
    page.wait_for_function(
        "n => document.querySelectorAll('.consents-history tbody tr').length > n", arg=rows_before
    )
    assert page.locator("#consent-marketing_phone").is_checked()
    newest = page.locator(".consents-history tbody tr").first.inner_text()
    assert "Marketing telefoniczny" in newest and "wyrażona" in newest and "portal" in newest
    status, view = stack.get(
        "/customers/100001/consents",
        headers={"Authorization": "Bearer " + stack.tokens("10000001")["access_token"]},
    )
    assert status == 200
    assert next(c for c in view["consents"] if c["kind"] == "marketing_phone")["granted"]

    page.goto(stack.base_url + "/#/mydata")
    page.wait_for_selector("#mydata-export")
    page.click("#mydata-export")
    page.wait_for_selector(".mydata-requests")
    assert "w kolejce" in page.locator(".mydata-requests").inner_text()
    drained = stack.cli("drain", "privacy")
    assert drained.returncode == 0, drained.stdout + drained.stderr
    page.reload()
    page.wait_for_selector(".mydata-download")
    page.locator(".mydata-download").first.click()
    link = page.locator(".mydata-link").first
    link.wait_for()
    href = link.get_attribute("href")
    assert href and "X-Amz-Expires=300" in href
    with urllib.request.urlopen(href, timeout=15) as resp:  # noqa: S310 - the local moto S3
        archive = zipfile.ZipFile(io.BytesIO(resp.read()))
    data = json.loads(archive.read("dane.json"))
    assert data["customer_no"] == "100001"
    assert any(c["kind"] == "marketing_phone" and c["granted"] for c in data["consents_history"])
    page.screenshot(path=str(stack.state_dir / "mydata.png"), full_page=True)


def test_the_account_manager_sees_consents_and_the_customer_sees_the_read(page, stack) -> None:
    open_as(page, stack, "30000001", "#/privacy-desk")  # Anna Nowak, Jan's account manager
    page.wait_for_selector("#desk-customer")
    page.fill("#desk-customer", "100001")
    page.click("#desk-show")
    page.wait_for_selector("#desk-consents #consents")
    assert page.locator("#consent-channel").count() == 1  # staff record the channel
    assert page.locator("#desk-flags").count() == 1
    history = page.locator("#desk-consents .consents-history").inner_text()
    assert "telefon" in history  # the demo's SMS consent taken on the phone
    status, mine = stack.get(
        "/customers/100001/privacy",
        headers={"Authorization": "Bearer " + stack.tokens("10000001")["access_token"]},
    )
    assert status == 200 and any(r["username"] == "30000001" for r in mine["staff_reads"])
