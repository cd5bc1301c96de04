"""A list longer than a page in the portal: the suspense list shows the first page and
"Pokaż więcej" appends the next ones from the API's `next` cursor until there is none."""

from __future__ import annotations

from devstack.camt_sample import SampleCredit, camt053
from tests.e2e.conftest import Stack, open_as


def test_suspense_list_shows_more_from_the_cursor(page, stack: Stack) -> None:
    admin = {"Authorization": "Bearer " + stack.tokens("50000001")["access_token"]}
    # Unmatched credits booked after the demo's, so the demo entries stay on the first page.
    credits = [
        SampleCredit(
            f"PAGING-{i:03d}", 1_000 + i, None, "wpłata bez tytułu", booking_date="2026-11-27"
        )
        for i in range(25)
    ]
    xml = camt053("PAGING-1", "PL27114020040000300201355387", credits).decode()
    status, body = stack.post(
        "/admin/statements", {"file_name": "paging.xml", "content": xml}, admin
    )
    assert status == 201, body
    assert stack.cli("drain", "statements").returncode == 0
    status, first = stack.get("/admin/suspense", admin)
    assert status == 200 and first["next"] and len(first["entries"]) == 20
    total = 0
    cursor = None
    while True:  # every page through the API: how many rows the portal must end with
        status, got = stack.get("/admin/suspense" + (f"?cursor={cursor}" if cursor else ""), admin)
        total += len(got["entries"])
        cursor = got["next"]
        if not cursor:
            break

    open_as(page, stack, "50000001", "#/admin/suspense")
    rows = page.locator("#suspense tbody tr")
    rows.first.wait_for()
    assert rows.count() == 20
    more = page.locator("#suspense-more")
    while more.count():
        before = rows.count()
        more.click()
        page.wait_for_function(f"document.querySelectorAll('#suspense tbody tr').length > {before}")
    assert rows.count() == total
    assert page.locator("tr[data-ref='PAGING-024']").count() == 1
