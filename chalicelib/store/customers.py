"""Customers, account managers, premises, contracts and meters.

One item collection per customer (``PK = CUST#<no>``) holds the profile, a snapshot of the
account manager, premises, contracts and meters, so the overview is a single Query.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
)

from chalicelib.store.base import DecimalAttribute, Item, transaction


def customer_pk(customer_no: str) -> str:
    return f"CUST#{customer_no}"


def manager_pk(manager_id: str) -> str:
    return f"MGR#{manager_id}"


class Address(MapAttribute[str, Any]):
    street = UnicodeAttribute()
    building = UnicodeAttribute()
    apartment = UnicodeAttribute(null=True)
    postal_code = UnicodeAttribute()
    city = UnicodeAttribute()

    def as_dict(self) -> dict[str, Any]:
        return {
            "street": self.street,
            "building": self.building,
            "apartment": self.apartment,
            "postal_code": self.postal_code,
            "city": self.city,
        }

    def one_line(self) -> str:
        flat = f"/{self.apartment}" if self.apartment else ""
        return f"{self.street} {self.building}{flat}, {self.postal_code} {self.city}"


class AccountManager(Item, discriminator="AccountManager"):
    """Opiekun klienta. PK=MGR#<id>, SK=PROFILE."""

    manager_id = UnicodeAttribute()
    name = UnicodeAttribute()
    phone = UnicodeAttribute()
    email = UnicodeAttribute()


class CustomerManager(Item, discriminator="CustomerManager"):
    """Snapshot of the account manager in the customer's collection. SK=MANAGER;
    GSI1 = (MGR#<id>, CUST#<no>) lists a manager's customers."""

    manager_id = UnicodeAttribute()
    name = UnicodeAttribute()
    phone = UnicodeAttribute()
    email = UnicodeAttribute()


class Customer(Item, discriminator="Customer"):
    """Klient: individual (PESEL) or institution (NIP, REGON, KRS). SK=PROFILE."""

    customer_no = UnicodeAttribute()
    kind = UnicodeAttribute()  # individual | institution
    name = UnicodeAttribute()
    pesel = UnicodeAttribute(null=True)
    nip = UnicodeAttribute(null=True)
    regon = UnicodeAttribute(null=True)
    krs = UnicodeAttribute(null=True)
    address = Address()
    email = UnicodeAttribute()
    phone = UnicodeAttribute(null=True)
    manager_id = UnicodeAttribute()
    building_manager = BooleanAttribute(default=False)
    einvoice_consent = BooleanAttribute(default=False)
    einvoice_consent_at = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()


class Premises(Item, discriminator="Premises"):
    """Punkt poboru / obiekt. SK=PREM#<id>; GSI1 = (CITY#<city>, STREET#<street>#<no>#<id>)
    finds the premises on a street (outages, SMS alerts)."""

    premises_id = UnicodeAttribute()
    customer_no = UnicodeAttribute()
    label = UnicodeAttribute()
    address = Address()


class Contract(Item, discriminator="Contract"):
    """Umowa. SK=CONTRACT#<no>; GSI1 = (CONTRACTS, CONTRACT#<no>) lists every contract."""

    contract_no = UnicodeAttribute()
    customer_no = UnicodeAttribute()
    premises_id = UnicodeAttribute()
    product = UnicodeAttribute()  # heat | electricity
    tariff_group = UnicodeAttribute()  # e.g. W-1 (heat), G11, G12, C11
    ordered_capacity_mw = DecimalAttribute(null=True)
    start_date = UnicodeAttribute()
    end_date = UnicodeAttribute(null=True)  # open-ended when null


class Meter(Item, discriminator="Meter"):
    """Licznik. SK=METER#<serial>; registers: heat_gj/water_m3, total, day/night."""

    serial = UnicodeAttribute()
    customer_no = UnicodeAttribute()
    contract_no = UnicodeAttribute()
    premises_id = UnicodeAttribute()
    product = UnicodeAttribute()
    registers = ListAttribute(of=UnicodeAttribute)
    installed_at = UnicodeAttribute()


class Login(Item, discriminator="Login"):
    """A portal login (Cognito username = user identifier). PK=LOGIN#<username>, SK=LOGIN.
    Holds what the authorizer needs: the role and the customers this login may act for."""

    username = UnicodeAttribute()
    role = UnicodeAttribute()  # customer | building_manager | account_manager | operator | admin
    customer_nos = ListAttribute(of=UnicodeAttribute, default=list)
    manager_id = UnicodeAttribute(null=True)
    enabled = BooleanAttribute(default=True)
    # Tokens issued before this epoch second are refused (logout, disable, password change).
    tokens_valid_after = NumberAttribute(null=True)
    # Sessions (Cognito origin_jti) ended by logout: refused even inside the same second.
    revoked_sessions = ListAttribute(of=UnicodeAttribute, null=True)
    created_at = UnicodeAttribute()


def login_pk(username: str) -> str:
    return f"LOGIN#{username}"


# --- repository functions -------------------------------------------------------------


def get_login(username: str) -> Login | None:
    try:
        return Login.get(login_pk(username), "LOGIN")
    except Login.DoesNotExist:
        return None


def customer_collection(customer_no: str) -> list[Item]:
    """Profile, manager snapshot, premises, contracts and meters: one Query."""
    return list(Item.query(customer_pk(customer_no)))


def get_customer(customer_no: str) -> Customer | None:
    try:
        item = Item.get(customer_pk(customer_no), "PROFILE")
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, Customer) else None


def get_account_manager(manager_id: str) -> AccountManager | None:
    try:
        item = Item.get(manager_pk(manager_id), "PROFILE")
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, AccountManager) else None


def manager_customer_nos(manager_id: str) -> list[str]:
    return [
        str(i.GSI1SK).removeprefix("CUST#")
        for i in Item.gsi1.query(manager_pk(manager_id), Item.GSI1SK.startswith("CUST#"))
    ]


def premises_on_street(city_key: str, street_key: str | None = None) -> list[Premises]:
    condition = Item.GSI1SK.startswith(f"STREET#{street_key}#") if street_key else None
    return [i for i in Item.gsi1.query(f"CITY#{city_key}", condition) if isinstance(i, Premises)]


def all_contracts() -> list[Contract]:
    return [i for i in Item.gsi1.query("CONTRACTS") if isinstance(i, Contract)]


def decimal_or_none(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def create_customer(customer: Customer, manager: AccountManager) -> None:
    """Write the profile and the manager snapshot together; refuse an existing number."""
    snapshot = CustomerManager(
        customer_pk(customer.customer_no),
        "MANAGER",
        GSI1PK=manager_pk(manager.manager_id),
        GSI1SK=customer_pk(customer.customer_no),
        manager_id=manager.manager_id,
        name=manager.name,
        phone=manager.phone,
        email=manager.email,
    )
    with transaction() as tx:
        tx.save(customer, condition=Item.PK.does_not_exist())
        tx.save(snapshot, condition=Item.PK.does_not_exist())


def put_account_manager(manager: AccountManager) -> None:
    manager.save()


def put_premises(premises: Premises) -> None:
    premises.save(condition=Item.PK.does_not_exist())


def put_contract(contract: Contract) -> None:
    contract.save(condition=Item.PK.does_not_exist())


def put_meter(meter: Meter) -> None:
    meter.save(condition=Item.PK.does_not_exist())


def put_login(login: Login) -> None:
    login.save()
