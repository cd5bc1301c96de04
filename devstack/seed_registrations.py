"""Demo data: one institutional registration waiting for an administrator's review, with
sample PDF documents (a KRS extract and a REGON certificate), made through the real service
so it is validated, uploaded and checked like one sent from the portal."""

from __future__ import annotations

from chalicelib.adapters import s3
from chalicelib.config import settings
from chalicelib.services import registration
from devstack.seed import SeedContext

FORM = {
    "nip": "7740001454",
    "regon": "610188201",
    "krs": "0000028860",
    "name": "Wspólnota Mieszkaniowa „Zielony Dwór”",
    "address": {
        "street": "ul. Kwiatowa",
        "building": "7",
        "postal_code": "50-120",
        "city": "Wrocław",
    },
    "email": "zarzad@zielony-dwor.example.pl",
    "phone": "+48713400500",
    "contact": {
        "name": "Barbara Zarzycka",
        "email": "b.zarzycka@zielony-dwor.example.pl",
        "phone": "+48601200300",
    },
    "signer_in_krs": True,
    "accept_regulations": True,
}


def sample_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF with ASCII text (enough for a reviewer's viewer)."""
    text = [f"BT /F1 16 Tf 60 780 Td ({title}) Tj ET"]
    for i, line in enumerate(lines):
        text.append(f"BT /F1 11 Tf 60 {740 - 18 * i} Td ({line}) Tj ET")
    stream = "\n".join(text).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def seed(ctx: SeedContext) -> None:
    docs = {
        "krs_extract": sample_pdf(
            "Odpis aktualny z KRS (przyklad)",
            ["KRS 0000028860", "Wspolnota Mieszkaniowa Zielony Dwor", "Zarzad: Barbara Zarzycka"],
        ),
        "regon_certificate": sample_pdf(
            "Zaswiadczenie o numerze REGON (przyklad)", ["REGON 610188201", "NIP 7740001454"]
        ),
    }
    form = {
        **FORM,
        "regulations_version": settings().regulations_version,
        "documents": [
            {
                "kind": kind,
                "filename": f"{kind}.pdf",
                "content_type": "application/pdf",
                "size": len(body),
            }
            for kind, body in docs.items()
        ],
    }
    started = registration.start_institution(form, "seed", "pl")
    for upload in started["uploads"]:
        key = str(upload["fields"]["key"])
        s3.put_object(settings().documents_bucket, key, docs[upload["kind"]], "application/pdf")
    registration.submit_institution(started["registration_id"], "pl")
    ctx.data["pending_registration"] = started["registration_id"]
    ctx.notes.append(
        f"pending institutional registration {started['registration_id']} "
        "(review it as admin 50000001 at #/admin/registrations)"
    )
