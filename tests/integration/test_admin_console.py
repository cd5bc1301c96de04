"""Administration: customer data edits (validated, conditional, audited), login disable and
enable, the audit log."""

from __future__ import annotations

from tests.integration.auth_support import sent_mails
from tests.support import DEFAULT_PASSWORD


def _login_username(headers: dict[str, str]) -> str:
    from chalicelib.services.identity import verify_access_token

    claims = verify_access_token(headers["Authorization"])
    assert claims is not None
    return str(claims["username"])


def test_customer_edit_is_validated_and_audited(api, world, login_as) -> None:
    admin = login_as("admin")
    before = api.get(f"/admin/customers/{world.individual}", headers=admin)
    assert before.status == 200
    assert before.json["customer"]["pesel"] == "44051401359"  # admins see the full record

    bad = api.patch(
        f"/admin/customers/{world.individual}",
        {"pesel": "44051401358", "phone": "12"},
        headers=admin,
    )
    assert bad.status == 400
    assert {e["field"] for e in bad.json["errors"]} == {"pesel", "phone"}
    wrong_kind = api.patch(
        f"/admin/customers/{world.individual}", {"nip": "5260001246"}, headers=admin
    )
    assert (
        wrong_kind.status == 400
        and wrong_kind.json["errors"][0]["code"] == "admin.field_not_applicable"
    )
    assert api.patch(f"/admin/customers/{world.individual}", {}, headers=admin).status == 400
    assert api.get("/admin/audit", headers=admin).json["entries"] == []  # nothing stored

    change = {
        "email": "Jan.Nowy@Example.pl",
        "phone": "600 111 222",
        "address": {
            "street": "ul. Legnicka",
            "building": "12",
            "apartment": "5",
            "postal_code": "53-674",
            "city": "Wrocław",
        },
    }
    r = api.patch(f"/admin/customers/{world.individual}", change, headers=admin)
    assert r.status == 200, r.body
    assert r.json["changed"] == ["address", "email", "phone"]
    assert r.json["customer"]["email"] == "jan.nowy@example.pl"
    assert r.json["customer"]["phone"] == "+48600111222"

    replay = api.patch(f"/admin/customers/{world.individual}", change, headers=admin)
    assert replay.status == 200 and replay.json["changed"] == []

    entries = api.get("/admin/audit", headers=admin).json["entries"]
    assert len(entries) == 1
    e = entries[0]
    assert e["actor"] == _login_username(admin)
    assert e["action"] == "customer.update" and e["target"] == f"CUST#{world.individual}"
    assert e["subject"] == {"kind": "customer", "ref": world.individual}  # for people
    assert (
        e["before"]["email"] == "jan.kowalski@example.pl"
        and e["after"]["email"] == "jan.nowy@example.pl"
    )
    assert e["before"]["address"]["apartment"] == "4" and e["after"]["address"]["apartment"] == "5"
    assert (
        api.get(f"/admin/customers/{world.individual}", headers=admin).json["history"][0][
            "entry_id"
        ]
        == e["entry_id"]
    )

    supplement = api.patch(
        f"/admin/customers/{world.institution}", {"krs": None, "regon": "930904121"}, headers=admin
    )
    assert supplement.status == 200 and supplement.json["changed"] == ["krs"]
    assert supplement.json["customer"]["krs"] is None
    assert api.patch("/admin/customers/999999", {"name": "Nikt"}, headers=admin).status == 404


def test_a_login_can_be_disabled_and_enabled(api, world, login_as) -> None:
    admin = login_as("admin")
    customer = login_as("customer", [world.individual])
    username = _login_username(customer)
    assert api.get("/me", headers=customer).status == 200

    r = api.post(f"/admin/logins/{username}/disable", headers=admin)
    assert r.status == 200 and r.json["enabled"] is False
    assert api.get("/me", headers=customer).status in (401, 403)
    assert (
        api.post("/auth/login", {"username": username, "password": DEFAULT_PASSWORD}).status == 401
    )
    assert api.post(f"/admin/logins/{username}/disable", headers=admin).status == 200  # replay

    r = api.post(f"/admin/logins/{username}/enable", headers=admin)
    assert r.status == 200 and r.json["enabled"] is True
    assert api.get("/me", headers=customer).status in (401, 403)  # old tokens stay refused
    fresh = api.post("/auth/login", {"username": username, "password": DEFAULT_PASSWORD})
    assert fresh.status == 200, fresh.body

    detail = api.get(f"/admin/logins/{username}", headers=admin).json
    assert [h["action"] for h in detail["history"]] == [
        "login.enable",
        "login.disable",
    ]  # the replay logged nothing
    assert detail["history"][1]["before"] == {"enabled": True} and detail["history"][1][
        "after"
    ] == {"enabled": False}
    assert api.post(f"/admin/logins/{_login_username(admin)}/disable", headers=admin).status == 409
    assert api.post("/admin/logins/00000000/disable", headers=admin).status == 404
    assert sent_mails() == []


def test_audit_log_pages_newest_first(api, world, login_as) -> None:
    admin = login_as("admin")
    for name in ("Jan Kowalski-Nowak", "Jan Nowak", "Jan K. Nowak"):
        assert (
            api.patch(f"/admin/customers/{world.individual}", {"name": name}, headers=admin).status
            == 200
        )
    first = api.get("/admin/audit?limit=2", headers=admin).json
    assert [e["after"]["name"] for e in first["entries"]] == ["Jan K. Nowak", "Jan Nowak"]
    assert first["next"]
    rest = api.get(f"/admin/audit?limit=2&cursor={first['next']}", headers=admin).json
    assert [e["after"]["name"] for e in rest["entries"]] == ["Jan Kowalski-Nowak"]
    assert api.get("/admin/audit?month=2026-13", headers=admin).status == 400
    assert api.get("/admin/audit?month=2019-01", headers=admin).json["entries"] == []
    customer = login_as("customer", [world.individual])
    assert api.get("/admin/audit", headers=customer).status == 403


def test_building_manager_login_gets_more_customer_accounts(api, world, login_as) -> None:
    admin = login_as("admin")
    manager = login_as("building_manager", [world.institution])
    username = _login_username(manager)
    path = f"/admin/logins/{username}/customers"
    assert (
        api.put(path, {"customer_nos": [world.institution, "999999"]}, headers=admin).status == 400
    )
    assert (
        api.put(
            f"/admin/logins/{_login_username(admin)}/customers",
            {"customer_nos": [world.institution]},
            headers=admin,
        ).status
        == 400
    )
    assert api.get(f"/customers/{world.other_individual}/overview", headers=manager).status == 404
    r = api.put(path, {"customer_nos": [world.institution, world.other_individual]}, headers=admin)
    assert r.status == 200 and r.json["customers"] == [world.institution, world.other_individual]
    assert api.get(f"/customers/{world.other_individual}/overview", headers=manager).status == 200
    assert (
        api.put(
            path, {"customer_nos": [world.institution, world.other_individual]}, headers=admin
        ).status
        == 200
    )
    history = api.get(f"/admin/logins/{username}", headers=admin).json["history"]
    assert [h["action"] for h in history] == ["login.customers"]  # the replay logged nothing
    assert history[0]["before"] == {"customers": [world.institution]}
    assert api.put(path, {"customer_nos": [world.institution]}, headers=manager).status == 403
