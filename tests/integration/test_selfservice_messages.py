"""Secure messages and the account manager's workspace: threads with attachments, unread
counts, an e-mail that never carries the content, new messages by cursor; the manager's
customers, a customer view and one queue by due date."""

from __future__ import annotations

from urllib.parse import quote

from tests.integration.selfservice_support import PDF, file, items, sent_mails, upload


def test_a_thread_between_customer_and_manager(api, world, login_as) -> None:
    jan = login_as("customer", [world.individual])
    anna = login_as("account_manager", manager_id="M1")
    maria = login_as("customer", [world.other_individual])
    secret = "Mój kod do domofonu to 4321"
    started = api.post(
        f"/customers/{world.individual}/threads",
        {
            "subject": "Faktura za październik",
            "text": secret,
            "request_id": "msg-00000001",
            "attachments": [
                {"filename": "skan.pdf", "content_type": "application/pdf", "size": len(PDF)}
            ],
        },
        headers=jan,
    )
    assert started.status == 201, started.body
    thread_id = started.json["thread_id"]
    upload(started.json["uploads"][0]["upload"])
    replay = api.post(
        f"/customers/{world.individual}/threads",
        {"subject": "Faktura za październik", "text": secret, "request_id": "msg-00000001"},
        headers=jan,
    )
    assert replay.json["thread_id"] == thread_id
    assert len([i for i in items(f"THREAD#{thread_id}") if i["type"] == "Message"]) == 1

    # the manager is told a message is waiting, never what it says
    mail = [m for m in sent_mails() if m.to == ["anna.nowak@cieplo.example.pl"]]
    assert len(mail) == 1 and "4321" not in mail[0].text and "domofon" not in mail[0].text
    assert api.get("/me/unread", headers=anna).json["unread"] == 1
    queue = api.get("/workspace/queue", headers=anna).json["items"]
    assert [(q["kind"], q["ref"]) for q in queue] == [("thread", thread_id)]

    read = api.get(f"/customers/{world.individual}/threads/{thread_id}", headers=anna).json
    assert [m["text"] for m in read["items"]] == [secret]
    assert read["items"][0]["attachments"][0]["filename"] == "skan.pdf"
    cursor = read["items"][-1]["cursor"]
    reply = api.post(
        f"/customers/{world.individual}/threads/{thread_id}/messages",
        {"text": "Sprawdzę i odpiszę."},
        headers=anna,
    )
    assert reply.status == 201
    assert api.get("/workspace/queue", headers=anna).json["items"] == []  # answered

    # the customer's open thread asks only for what is new since its last message
    listing = api.get(f"/customers/{world.individual}/threads", headers=jan).json
    assert listing["unread"] == 1 and listing["threads"][0]["unread"] == 1
    new = api.get(
        f"/customers/{world.individual}/threads/{thread_id}?after={quote(cursor)}", headers=jan
    ).json
    assert [m["text"] for m in new["items"]] == ["Sprawdzę i odpiszę."] and new["items"][0][
        "side"
    ] == "manager"
    assert api.get(f"/customers/{world.individual}/threads", headers=jan).json["unread"] == 0
    assert any(
        m.to == ["jan.kowalski@example.pl"] and "Sprawdzę" not in m.text for m in sent_mails()
    )

    # another customer: 404; bad input: 400 and nothing stored
    assert (
        api.get(f"/customers/{world.individual}/threads/{thread_id}", headers=maria).status == 404
    )
    assert (
        api.get(f"/customers/{world.other_individual}/threads/{thread_id}", headers=maria).status
        == 404
    )
    assert (
        api.post(
            f"/customers/{world.individual}/threads/{thread_id}/messages",
            {"text": "x"},
            headers=maria,
        ).status
        == 404
    )
    before = len(items("THREAD#"))
    bad = api.post(
        f"/customers/{world.individual}/threads/{thread_id}/messages", {"text": "   "}, headers=jan
    )
    assert bad.status == 400
    bad = api.post(
        f"/customers/{world.individual}/threads/{thread_id}/messages",
        {"text": "plik", "attachments": [{"content_type": "application/x-msdownload", "size": 10}]},
        headers=jan,
    )
    assert bad.status == 400 and len(items("THREAD#")) == before
    assert (
        api.get(
            f"/customers/{world.individual}/threads/{thread_id}?after=HIST%23x", headers=jan
        ).status
        == 400
    )


def test_workspace_customers_view_and_queue(api, world, login_as) -> None:
    anna = login_as("account_manager", manager_id="M1")
    piotr = login_as("account_manager", manager_id="M2")
    jan = login_as("customer", [world.individual])
    names = [
        c["customer_no"] for c in api.get("/workspace/customers", headers=anna).json["customers"]
    ]
    assert sorted(names) == [world.individual, world.institution]
    for q in ("Kowalski", "8971018828", "Grabiszyńska", "100001"):
        found = api.get(f"/workspace/customers?q={q}", headers=anna).json["customers"]
        assert len(found) == 1, q
    assert api.get("/workspace/customers?q=Wiśniewska", headers=anna).json["customers"] == []
    assert api.get("/workspace/customers", headers=jan).status == 403

    later = file(
        api,
        jan,
        world.individual,
        "contract_renewal",
        {"contract_no": "C-100001-H", "new_end_date": "2028-12-31"},
    )
    sooner = file(api, jan, world.individual, "customer_data_change", {"phone": "+48 600 999 888"})
    queue = api.get("/workspace/queue", headers=anna).json["items"]
    assert [q["ref"] for q in queue] == [
        sooner["application_id"],
        later["application_id"],
    ]  # 7 days before 14
    view = api.get(f"/workspace/customers/{world.individual}", headers=anna)
    assert view.status == 200, view.body
    v = view.json
    assert [c["contract_no"] for c in v["contracts"]] == ["C-100001-H"]
    assert {a["application_id"] for a in v["applications"]} == {
        later["application_id"],
        sooner["application_id"],
    }
    assert "balance_grosze" in v["balance"] and v["faults"] == [] and v["threads"] == []
    assert api.get(f"/workspace/customers/{world.individual}", headers=piotr).status == 404
    assert api.get("/workspace/queue", headers=piotr).json["items"] == []
