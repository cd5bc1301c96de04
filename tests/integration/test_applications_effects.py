"""Effects that other areas follow: a proxy sees only the premises it was granted; an
instalment plan moves the ledger's due dates, so the arrears reminders follow the
instalments and not the original invoice."""

from __future__ import annotations

from datetime import date

import boto3

from tests.integration.selfservice_support import decide, file, sent_mails
from tests.support import DEFAULT_PASSWORD, REGION


def _token(aws, username: str) -> dict[str, str]:
    idp = boto3.client("cognito-idp", region_name=REGION)
    idp.admin_set_user_password(
        UserPoolId=aws.user_pool_id, Username=username, Password=DEFAULT_PASSWORD, Permanent=True
    )
    params = {"USERNAME": username, "PASSWORD": DEFAULT_PASSWORD}
    secret = getattr(aws, "client_secret", None)
    if secret:
        from chalicelib.adapters.cognito import secret_hash

        params["SECRET_HASH"] = secret_hash(username, aws.client_id, secret)
    auth = idp.admin_initiate_auth(
        UserPoolId=aws.user_pool_id,
        ClientId=aws.client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters=params,
    )
    return {"Authorization": f"Bearer {auth['AuthenticationResult']['AccessToken']}"}


def test_a_proxy_sees_only_the_premises_it_was_granted(api, aws, world, login_as) -> None:
    board = login_as("building_manager", [world.institution])
    anna = login_as("account_manager", manager_id="M1")
    filed = file(
        api,
        board,
        world.institution,
        "proxy",
        {
            "premises_id": "P-200001-2",
            "proxy_name": "Adam Zarządca",
            "proxy_email": "adam@example.pl",
            "proxy_pesel": "44051401359",
        },
        ("power_of_attorney",),
    )
    done = decide(api, anna, filed["application_id"], "approve").json
    proxy = _token(aws, done["result"]["username"])

    mine = api.get("/proxy/premises", headers=proxy).json["premises"]
    assert [(p["customer_no"], p["premises_id"]) for p in mine] == [
        (world.institution, "P-200001-2")
    ]
    one = api.get(f"/proxy/premises/{world.institution}/P-200001-2", headers=proxy)
    assert one.status == 200
    assert [c["contract_no"] for c in one.json["contracts"]] == ["C-200001-H2"]
    assert {m["serial"] for m in one.json["meters"]} <= {"HM-200001-2"}
    # the other premises of the same customer, the customer's account and documents: 404
    assert api.get(f"/proxy/premises/{world.institution}/P-200001-1", headers=proxy).status == 404
    assert api.get(f"/proxy/premises/{world.individual}/P-100001-1", headers=proxy).status == 404
    assert api.get(f"/customers/{world.institution}/overview", headers=proxy).status == 404
    assert api.get(f"/customers/{world.institution}/contracts", headers=proxy).status == 404
    assert api.get(f"/customers/{world.institution}/invoices", headers=proxy).status == 404
    # the login got its access codes by e-mail
    assert any(
        m.to == ["adam@example.pl"] and done["result"]["username"] in m.text for m in sent_mails()
    )


def test_instalments_drive_the_ledger_and_the_arrears_reminders(api, world, login_as) -> None:
    from chalicelib.services import ledger, notices
    from chalicelib.store.applications import instalments_due

    jan = login_as("customer", [world.individual])
    anna = login_as("account_manager", manager_id="M1")
    ledger.record_invoice(
        customer_no=world.individual,
        invoice_no="FC/2026/09/0001",
        gross_grosze=30000,
        issue_date="2026-09-01",
        due_date="2026-09-15",
    )
    before = api.get(f"/customers/{world.individual}/balance", headers=jan).json
    assert before["arrears_grosze"] == 30000

    filed = file(
        api, jan, world.individual, "instalment_plan", {"instalments": 3, "first_due": "2026-12-10"}
    )
    decide(api, anna, filed["application_id"], "approve")

    after = api.get(f"/customers/{world.individual}/balance", headers=jan).json
    assert (
        after["arrears_grosze"] == 0 and after["balance_grosze"] == 30000
    )  # the same debt, not yet due
    assert after["next_due_date"] == "2026-12-10"
    assert [i.due_date for i in instalments_due(world.individual, date(2027, 1, 10))] == [
        "2026-12-10",
        "2027-01-10",
    ]

    # today: nothing overdue, no reminder; a week after the first instalment: its reminder
    sent = len(sent_mails())
    notices.review_one(world.individual, date(2026, 11, 25))
    assert len(sent_mails()) == sent
    notices.review_one(world.individual, date(2026, 12, 18))
    reminder = sent_mails()[-1]
    assert "RATA-" in reminder.text and "FC/2026/09/0001" not in reminder.text
