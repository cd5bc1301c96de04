"""Demo customers, account managers, premises, contracts, meters and logins.

Individuals and institutions, a building manager with several buildings, heat contracts in
Wrocław, electricity G11 and G12 contracts in Łódź, two account managers, and one login per
role (README lists them).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from chalicelib.domain import contracts as contract_rules
from chalicelib.domain.principal import GROUP_OF_ROLE
from chalicelib.services import customers as svc
from devstack.seed import SeedContext

DEMO_PASSWORD = "Demo-Haslo-2026"

MANAGERS = [
    ("M1", "Anna Nowak", "+48713000001", "anna.nowak@cieplo.example.pl"),
    ("M2", "Piotr Zieliński", "+48423000002", "piotr.zielinski@cieplo.example.pl"),
]


def _addr(
    street: str, building: str, postal: str, city: str, apartment: str | None = None
) -> dict[str, Any]:
    return {
        "street": street,
        "building": building,
        "apartment": apartment,
        "postal_code": postal,
        "city": city,
    }


# Fixed-term contracts end relative to the day the demo is started (the last day of the
# month that many months after the current one), so that on any day the demo has a contract
# near its end (expiry reminders), and contracts in force for the last ended month.
ENDS_NEXT_MONTH = 1
ENDS_IN_3_MONTHS = 3
ENDS_IN_10_MONTHS = 10
ENDS_IN_13_MONTHS = 13


def contract_end(end: str | int | None, today: date) -> str | None:
    """A seeded contract's end date: a fixed ISO date, or the end of the month ``end``
    months after today's."""
    if not isinstance(end, int):
        return end
    return contract_rules.end_of_month(contract_rules.add_months(today, end)).isoformat()


# customer_no, kind, name, ids, address, e-mail, phone, manager, building manager, e-invoice
CUSTOMERS: list[dict[str, Any]] = [
    dict(
        customer_no="100001",
        kind="individual",
        name="Jan Kowalski",
        pesel="44051401359",
        address=_addr("ul. Legnicka", "12", "53-674", "Wrocław", "4"),
        email="jan.kowalski@example.pl",
        phone="+48600100200",
        manager_id="M1",
        einvoice_consent=True,
    ),
    dict(
        customer_no="100002",
        kind="individual",
        name="Maria Wiśniewska",
        pesel="02070803628",
        address=_addr("ul. Piotrkowska", "100", "90-001", "Łódź"),
        email="maria.wisniewska@example.pl",
        phone="+48600100300",
        manager_id="M2",
        einvoice_consent=False,
    ),
    dict(
        customer_no="100003",
        kind="individual",
        name="Tomasz Lewandowski",
        pesel="85010112345",
        address=_addr("ul. Zgierska", "45", "91-446", "Łódź", "7"),
        email="tomasz.lewandowski@example.pl",
        phone="+48600100400",
        manager_id="M2",
        einvoice_consent=True,
    ),
    dict(
        customer_no="100004",
        kind="individual",
        name="Katarzyna Wójcik",
        pesel="90090515836",
        address=_addr("ul. Legnicka", "14", "53-674", "Wrocław", "2"),
        email="katarzyna.wojcik@example.pl",
        phone="+48600100500",
        manager_id="M1",
        einvoice_consent=False,
    ),
    dict(
        customer_no="200001",
        kind="institution",
        name="Spółdzielnia Mieszkaniowa „Przyszłość”",
        nip="8971018828",
        regon="930904121",
        krs="0000123456",
        address=_addr("ul. Grabiszyńska", "200", "53-235", "Wrocław"),
        email="biuro@sm-przyszlosc.example.pl",
        phone="+48713500600",
        manager_id="M1",
        building_manager=True,
        einvoice_consent=True,
    ),
    dict(
        customer_no="200002",
        kind="institution",
        name="Przedszkole Miejskie nr 12",
        nip="5260001298",
        regon="145678907",
        address=_addr("ul. Kasprowicza", "30", "51-137", "Wrocław"),
        email="sekretariat@pm12.example.pl",
        phone="+48713200300",
        manager_id="M1",
        einvoice_consent=True,
        # A municipal unit: invoiced to the municipality (centralizacja VAT w JST).
        buyer_name="Gmina Wrocław",
        buyer_nip="8960005673",
        buyer_address="pl. Nowy Targ 1-8, 50-141 Wrocław",
    ),
]

# customer_no -> list of (premises label, address, contract_no, product, tariff, start, end, MW, meter)
SUPPLY: dict[str, list[tuple[Any, ...]]] = {
    "100001": [
        (
            "Mieszkanie",
            _addr("ul. Legnicka", "12", "53-674", "Wrocław", "4"),
            "C/2024/0001",
            "heat",
            "W-1",
            "2024-01-01",
            ENDS_IN_13_MONTHS,
            Decimal("0.015"),
            "HM-100001",
        )
    ],
    "100002": [
        (
            "Dom",
            _addr("ul. Piotrkowska", "100", "90-001", "Łódź"),
            "C/2023/0102",
            "electricity",
            "G11",
            "2023-05-01",
            None,
            None,
            "EM-100002",
        )
    ],
    "100003": [
        (
            "Mieszkanie",
            _addr("ul. Zgierska", "45", "91-446", "Łódź", "7"),
            "C/2022/0203",
            "electricity",
            "G12",
            "2022-03-01",
            ENDS_IN_3_MONTHS,
            None,
            "EM-100003",
        )
    ],
    "100004": [
        (
            "Mieszkanie",
            _addr("ul. Legnicka", "14", "53-674", "Wrocław", "2"),
            "C/2025/0004",
            "heat",
            "W-1",
            "2025-01-01",
            ENDS_NEXT_MONTH,
            Decimal("0.012"),
            "HM-100004",
        )
    ],
    "200001": [
        (
            f"Budynek {b}",
            _addr("ul. Grabiszyńska", b, "53-235", "Wrocław"),
            f"C/2022/1{b}",
            "heat",
            "W-2",
            "2022-10-01",
            ENDS_IN_10_MONTHS,
            Decimal(mw),
            f"HM-200001-{b}",
        )
        for b, mw in (("200", "0.250"), ("202", "0.220"), ("204", "0.310"))
    ],
    "200002": [
        (
            "Budynek przedszkola",
            _addr("ul. Kasprowicza", "30", "51-137", "Wrocław"),
            "C/2021/0500",
            "heat",
            "W-2",
            "2021-09-01",
            ENDS_NEXT_MONTH,
            Decimal("0.180"),
            "HM-200002",
        )
    ],
}

# username, role, customers, manager id, e-mail
LOGINS: list[tuple[str, str, list[str], str | None, str]] = [
    ("10000001", "customer", ["100001"], None, "jan.kowalski@example.pl"),
    ("10000002", "customer", ["100002"], None, "maria.wisniewska@example.pl"),
    ("10000003", "customer", ["100003"], None, "tomasz.lewandowski@example.pl"),
    ("20000001", "building_manager", ["200001", "200002"], None, "biuro@sm-przyszlosc.example.pl"),
    ("30000001", "account_manager", [], "M1", "anna.nowak@cieplo.example.pl"),
    ("30000002", "account_manager", [], "M2", "piotr.zielinski@cieplo.example.pl"),
    ("40000001", "operator", [], None, "dyspozytor@cieplo.example.pl"),
    ("50000001", "admin", [], None, "admin@cieplo.example.pl"),
    # a second administrator: approves what the first asked for above the threshold (four-eyes)
    ("50000002", "admin", [], None, "ksiegowosc@cieplo.example.pl"),
]


def create_cognito_login(
    ctx: SeedContext, username: str, role: str, email: str, password: str
) -> None:
    idp = ctx.clients("cognito-idp")
    pool = ctx.prov.user_pool_id
    idp.admin_create_user(
        UserPoolId=pool,
        Username=username,
        UserAttributes=[
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true"},
        ],
        MessageAction="SUPPRESS",
    )
    idp.admin_set_user_password(
        UserPoolId=pool, Username=username, Password=password, Permanent=True
    )
    idp.admin_add_user_to_group(UserPoolId=pool, Username=username, GroupName=GROUP_OF_ROLE[role])


def seed(ctx: SeedContext) -> None:
    for manager in MANAGERS:
        svc.create_account_manager(*manager)
    meters: list[str] = []
    contracts: list[str] = []
    for data in CUSTOMERS:
        svc.create_customer(svc.NewCustomer(**data))
        for i, (label, addr, contract_no, product, tariff, start, end, mw, serial) in enumerate(
            SUPPLY[data["customer_no"]], start=1
        ):
            premises = svc.add_premises(
                data["customer_no"], label, addr, f"P-{data['customer_no']}-{i}"
            )
            contract = svc.add_contract(
                data["customer_no"],
                contract_no,
                premises.premises_id,
                product,
                tariff,
                start,
                contract_end(end, ctx.today),
                mw,
            )
            svc.add_meter(data["customer_no"], serial, contract, start)
            meters.append(serial)
            contracts.append(contract_no)
    from chalicelib.domain import clock
    from chalicelib.store.auth import PORTAL_SK, PortalAccess
    from chalicelib.store.customers import customer_pk

    for username, role, customer_nos, manager_id, email in LOGINS:
        svc.create_login(username, role, customer_nos, manager_id)
        create_cognito_login(ctx, username, role, email, DEMO_PASSWORD)
        # Mark the customers as having a portal login, as online registration would.
        for customer_no in customer_nos:
            PortalAccess(
                customer_pk(customer_no),
                PORTAL_SK,
                customer_no=customer_no,
                username=username,
                via="admin",
                created_at=clock.now_iso(),
            ).save()
    ctx.data["meters"] = meters
    ctx.data["contracts"] = contracts
    ctx.data["demo_password"] = DEMO_PASSWORD
    ctx.notes.append(f"demo logins (password {DEMO_PASSWORD}):")
    for username, role, customer_nos, _, _ in LOGINS:
        ctx.notes.append(f"  {username}  {role:<17} {' '.join(customer_nos)}")
