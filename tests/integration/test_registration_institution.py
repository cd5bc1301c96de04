"""Institutional registration by documents: presigned uploads with type and size enforced,
regulations acceptance, administrator review, activation or rejection."""

from __future__ import annotations

import base64
import json

import boto3

from tests.integration.auth_support import access_codes, cognito_users, sent_mails

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
MB10 = 10 * 1024 * 1024


def _form(**over):
    form = {
        "nip": "526-000-12-46",
        "regon": "123456785",
        "krs": "0000054321",
        "name": "Wspólnota Mieszkaniowa Słoneczna 5",
        "address": {
            "street": "ul. Słoneczna",
            "building": "5",
            "postal_code": "50-001",
            "city": "Wrocław",
        },
        "email": "zarzad@wm-sloneczna.example.pl",
        "phone": "713001122",
        "contact": {
            "name": "Ewa Zarządcza",
            "email": "ewa@wm-sloneczna.example.pl",
            "phone": "+48600700800",
        },
        "signer_in_krs": True,
        "accept_regulations": True,
        "regulations_version": "2026-01",
        "documents": [
            {
                "kind": "krs_extract",
                "filename": "odpis KRS.pdf",
                "content_type": "application/pdf",
                "size": len(PDF),
            },
            {
                "kind": "regon_certificate",
                "filename": "regon.png",
                "content_type": "image/png",
                "size": len(PNG),
            },
        ],
    }
    form.update(over)
    return form


def _upload(upload: dict, body: bytes, content_type: str | None = None) -> None:
    """What the browser does with the presigned form (moto in-process cannot take the POST)."""
    from chalicelib.config import settings

    s3 = boto3.client("s3", region_name="eu-central-1")
    bucket = settings().documents_bucket
    fields = upload["fields"]
    s3.put_object(
        Bucket=bucket,
        Key=fields["key"],
        Body=body,
        ContentType=content_type or fields["Content-Type"],
    )


def _start(api, **over):
    r = api.post("/registrations/institution", _form(**over))
    assert r.status == 201, r.body
    return r.json


def _submitted(api) -> str:
    started = _start(api)
    for up, body in zip(started["uploads"], (PDF, PNG), strict=True):
        _upload(up, body)
    r = api.post(f"/registrations/institution/{started['registration_id']}/submit")
    assert r.status == 200, r.body
    return str(started["registration_id"])


def _scan_types(aws) -> list[str]:
    ddb = boto3.client("dynamodb", region_name="eu-central-1")
    return [i["type"]["S"] for i in ddb.scan(TableName=aws.table)["Items"]]


def test_presigned_uploads_carry_type_and_size_conditions(api, world, aws) -> None:
    started = _start(api)
    assert started["status"] == "draft"
    up = started["uploads"][0]
    assert up["fields"]["key"].startswith(f"registrations/{started['registration_id']}/")
    assert up["fields"]["Content-Type"] == "application/pdf"
    policy = json.loads(base64.b64decode(up["fields"]["policy"]))
    assert ["content-length-range", 1, MB10] in policy["conditions"]
    assert {"Content-Type": "application/pdf"} in policy["conditions"]
    assert up["max_bytes"] == MB10


def test_institution_registers_uploads_admin_reviews_and_activates(
    api, world, aws, login_as
) -> None:
    reg_id = _submitted(api)
    receipt = sent_mails()
    assert [m.subject for m in receipt] == ["Otrzymaliśmy zgłoszenie rejestracji w e-BOK"]
    assert cognito_users(aws) == []  # nothing before the review

    admin = login_as("admin")
    pending = api.get("/admin/registrations", headers=admin)
    assert pending.status == 200
    assert [r["registration_id"] for r in pending.json["registrations"]] == [reg_id]
    detail = api.get(f"/admin/registrations/{reg_id}", headers=admin).json
    assert detail["nip"] == "5260001246" and detail["krs"] == "0000054321"
    assert detail["regulations_version"] == "2026-01" and detail["regulations_accepted_at"]
    docs = {d["kind"]: d for d in detail["document_list"]}
    assert docs["krs_extract"]["verified"] and docs["krs_extract"]["size"] == len(PDF)
    assert docs["regon_certificate"]["content_type"] == "image/png"
    assert docs["krs_extract"]["url"].startswith("https://")

    r = api.post(
        f"/admin/registrations/{reg_id}/activate",
        {"manager_id": "M1", "building_manager": True},
        headers=admin,
    )
    assert r.status == 200, r.body
    customer_no, username = r.json["customer_no"], r.json["username"]
    replay = api.post(
        f"/admin/registrations/{reg_id}/activate", {"manager_id": "M1"}, headers=admin
    )
    assert replay.status == 409

    mail = sent_mails()[-1]
    assert mail.to == ["zarzad@wm-sloneczna.example.pl"]
    assert access_codes(mail)[0] == username
    pin = access_codes(mail)[1]
    first = api.post("/auth/login", {"username": username, "password": pin}).json
    tokens = api.post(
        "/auth/new-password",
        {"username": username, "session": first["session"], "new_password": "Wspolnota-Haslo-5"},
    ).json
    assert tokens["role"] == "building_manager"
    overview = api.get(
        f"/customers/{customer_no}/overview",
        headers={"Authorization": "Bearer " + tokens["tokens"]["access_token"]},
    )
    assert overview.status == 200
    assert overview.json["customer"]["nip"] == "5260001246"
    assert overview.json["account_manager"]["name"] == "Anna Nowak"

    assert api.get("/admin/registrations", headers=admin).json["registrations"] == []
    log = api.get("/admin/audit", headers=admin).json["entries"]
    assert log[0]["action"] == "registration.activate"
    assert log[0]["before"] == {"status": "pending"}
    assert log[0]["after"]["username"] == username


def test_activation_links_an_existing_customer_with_the_same_nip(api, world, aws, login_as) -> None:
    reg_id = _submitted(api)
    admin = login_as("admin")
    mismatch = api.post(
        f"/admin/registrations/{reg_id}/activate", {"customer_no": world.institution}, headers=admin
    )
    assert mismatch.status == 400 and mismatch.json["errors"][0]["field"] == "customer_no"
    missing = api.post(f"/admin/registrations/{reg_id}/activate", {}, headers=admin)
    assert missing.status == 400
    from chalicelib.services.customers import NewCustomer, create_customer

    create_customer(
        NewCustomer(
            customer_no="200009",
            kind="institution",
            name="WM Słoneczna 5",
            nip="5260001246",
            regon="123456785",
            address={
                "street": "ul. Słoneczna",
                "building": "5",
                "postal_code": "50-001",
                "city": "Wrocław",
            },
            email="stary@wm.example.pl",
            manager_id="M2",
        )
    )
    r = api.post(
        f"/admin/registrations/{reg_id}/activate", {"customer_no": "200009"}, headers=admin
    )
    assert r.status == 200, r.body
    assert r.json["customer_no"] == "200009"


def test_rejection_with_a_reason_is_emailed(api, world, aws, login_as) -> None:
    reg_id = _submitted(api)
    admin = login_as("admin")
    assert (
        api.post(f"/admin/registrations/{reg_id}/reject", {"reason": ""}, headers=admin).status
        == 400
    )
    r = api.post(
        f"/admin/registrations/{reg_id}/reject",
        {"reason": "Odpis z KRS jest nieaktualny."},
        headers=admin,
    )
    assert r.status == 200 and r.json["status"] == "rejected"
    mail = sent_mails()[-1]
    assert "Odpis z KRS jest nieaktualny." in mail.text
    assert (
        api.post(
            f"/admin/registrations/{reg_id}/reject", {"reason": "Jeszcze raz"}, headers=admin
        ).status
        == 409
    )
    assert (
        api.post(
            f"/admin/registrations/{reg_id}/activate", {"manager_id": "M1"}, headers=admin
        ).status
        == 409
    )
    assert len(sent_mails()) == 2  # receipt + rejection, nothing more
    assert cognito_users(aws) == [
        u for u in cognito_users(aws) if u.startswith("9")
    ]  # only the admin
    rejected = api.get("/admin/registrations?status=rejected", headers=admin).json["registrations"]
    assert [x["registration_id"] for x in rejected] == [reg_id]
    # The NIP may register again.
    assert _submitted(api)


def test_oversized_upload_is_refused(api, world, aws) -> None:
    started = _start(api)
    _upload(started["uploads"][0], PDF + b"0" * (MB10 - len(PDF) + 1))
    _upload(started["uploads"][1], PNG)
    r = api.post(f"/registrations/institution/{started['registration_id']}/submit")
    assert r.status == 413
    assert r.json["errors"][0]["code"] == "registration.document_too_large"
    assert "Registration" in _scan_types(aws)
    from chalicelib.store.registrations import get_registration

    assert get_registration(started["registration_id"]).status == "draft"  # nothing moved on
    assert sent_mails() == []


def test_wrongly_typed_upload_is_refused(api, world, aws) -> None:
    started = _start(api)
    _upload(started["uploads"][0], PNG, "application/pdf")  # a PNG claiming to be a PDF
    _upload(started["uploads"][1], PNG)
    r = api.post(f"/registrations/institution/{started['registration_id']}/submit")
    assert r.status == 415
    assert r.json["errors"] == [
        {
            "field": "documents.D1",
            "code": "registration.document_type",
            "message": "Dozwolone są tylko pliki PDF, JPEG i PNG.",
        }
    ]
    # Fixed upload, then the same registration goes through (and a replay answers the same).
    _upload(started["uploads"][0], PDF)
    assert (
        api.post(f"/registrations/institution/{started['registration_id']}/submit").json["status"]
        == "pending"
    )
    assert (
        api.post(f"/registrations/institution/{started['registration_id']}/submit").json["status"]
        == "pending"
    )
    assert len(sent_mails()) == 1


def test_declared_type_and_size_are_checked_before_any_upload(api, world, aws) -> None:
    zip_doc = {
        "kind": "krs_extract",
        "filename": "a.zip",
        "content_type": "application/zip",
        "size": 100,
    }
    png_doc = {
        "kind": "regon_certificate",
        "filename": "r.png",
        "content_type": "image/png",
        "size": 100,
    }
    r = api.post("/registrations/institution", _form(documents=[zip_doc, png_doc]))
    assert r.status == 415
    big = dict(zip_doc, content_type="application/pdf", size=MB10 + 1)
    r = api.post("/registrations/institution", _form(documents=[big, png_doc]))
    assert r.status == 413
    assert "Registration" not in _scan_types(aws)


def test_missing_upload_and_missing_documents(api, world, aws) -> None:
    only_regon = [
        {"kind": "regon_certificate", "filename": "r.jpg", "content_type": "image/jpeg", "size": 10}
    ]
    r = api.post("/registrations/institution", _form(documents=only_regon))
    assert r.status == 400 and r.json["errors"][0]["field"] == "documents.krs_extract"
    # Signer not in KRS: a power of attorney is required too.
    r = api.post("/registrations/institution", _form(signer_in_krs=False))
    assert r.status == 400 and r.json["errors"][0]["field"] == "documents.power_of_attorney"
    started = _start(api)
    _upload(started["uploads"][0], PDF)
    r = api.post(f"/registrations/institution/{started['registration_id']}/submit")
    assert r.status == 400
    assert r.json["errors"][0] == {
        "field": "documents.D2",
        "code": "registration.document_not_uploaded",
        "message": "Plik nie został przesłany.",
    }
    assert api.post("/registrations/institution/NOPE/submit").status == 404


def test_identifiers_and_regulations_are_validated(api, world, aws) -> None:
    r = api.post(
        "/registrations/institution",
        _form(nip="5260001247", regon="123456786", krs="12345", email="bez-malpy"),
    )
    assert r.status == 400
    assert {e["field"] for e in r.json["errors"]} == {"nip", "regon", "krs", "email"}
    r = api.post("/registrations/institution", _form(accept_regulations=False))
    assert r.status == 400 and r.json["errors"][0]["field"] == "accept_regulations"
    r = api.post("/registrations/institution", _form(regulations_version="2020-01"))
    assert r.status == 400 and r.json["errors"][0]["field"] == "regulations_version"
    assert api.get("/registrations/regulations").json == {"version": "2026-01"}
    assert "Registration" not in _scan_types(aws)


def test_one_pending_registration_per_nip(api, world, aws) -> None:
    _submitted(api)
    started = _start(api)
    _upload(started["uploads"][0], PDF)
    _upload(started["uploads"][1], PNG)
    r = api.post(f"/registrations/institution/{started['registration_id']}/submit")
    assert r.status == 409 and r.json["code"] == "registration.pending_exists"


def test_admin_routes_are_for_admins_only(api, world, aws, login_as) -> None:
    reg_id = _submitted(api)
    for role, kw in (
        ("customer", {"customers": ["100001"]}),
        ("operator", {}),
        ("account_manager", {"manager_id": "M1"}),
    ):
        headers = login_as(role, **kw)
        assert api.get("/admin/registrations", headers=headers).status == 403
        assert api.get(f"/admin/registrations/{reg_id}", headers=headers).status == 403
        assert (
            api.post(
                f"/admin/registrations/{reg_id}/activate", {"manager_id": "M1"}, headers=headers
            ).status
            == 403
        )
    assert api.get("/admin/registrations").status in (401, 403)
    assert cognito_users(aws) and all(u.startswith("9") for u in cognito_users(aws))
