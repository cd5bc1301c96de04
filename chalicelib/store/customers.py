"""Customers, account managers, premises, contracts and meters.

One item collection per customer (``PK = CUST#<no>``) holds the profile, a snapshot of the
account manager, premises, contracts and meters under the sort-key prefix ``@`` (current
items), so the overview is a single bounded Query whatever the customer's history.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
)

from chalicelib.store.audit import AuditEntry, update_with_entry
from chalicelib.store.base import DecimalAttribute, Item, transaction

# --- keys (the one place each of these entities' keys is spelt) --------------------------


def customer_pk(customer_no: str) -> str:
    return f"CUST#{customer_no}"


def manager_pk(manager_id: str) -> str:
    return f"MGR#{manager_id}"


# A customer's current items (what the overview shows: profile, manager snapshot, premises,
# contracts, meters, balance, latest invoice per contract) share this sort-key prefix, so the
# overview is ONE Query ``SK begins_with "@"`` that never reads the history (invoices,
# billing marks, consents, notices...) whatever its length. "@" sorts before every letter.
CURRENT = "@"
PROFILE_SK = CURRENT + "PROFILE"
MANAGER_SK = CURRENT + "MANAGER"


def premises_sk(premises_id: str) -> str:
    return f"{CURRENT}PREM#{premises_id}"


def contract_sk(contract_no: str) -> str:
    return f"{CURRENT}CONTRACT#{contract_no}"


def meter_sk(serial: str) -> str:
    return f"{CURRENT}METER#{serial}"


def meter_index_pk(serial: str) -> str:
    """GSI1 partition that finds a meter by its serial (``store.readings.meter_pk``)."""
    return f"METER#{serial}"


def city_pk(city_key: str) -> str:
    """GSI1 partition of the premises in one city (``city_key``: a normalised city name)."""
    return f"CITY#{city_key}"


def street_sk(street_key: str, *rest: str) -> str:
    """GSI1 sort key of premises on a street: ``STREET#<street>#<building>#<id>``;
    ``street_sk(key, "")`` is the prefix of every premises on the street."""
    return "#".join(("STREET", street_key, *rest))


def customer_target(customer_no: str) -> str:
    """How the audit log names a customer (its key)."""
    return customer_pk(customer_no)


def login_target(username: str) -> str:
    """How the audit log names a login (its key)."""
    return login_pk(username)


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
    """Opiekun klienta. PK=MGR#<id>, SK=PROFILE (its own partition: no "@")."""

    manager_id = UnicodeAttribute()
    name = UnicodeAttribute()
    phone = UnicodeAttribute()
    email = UnicodeAttribute()


class CustomerManager(Item, discriminator="CustomerManager"):
    """Snapshot of the account manager in the customer's collection. SK=@MANAGER;
    GSI1 = (MGR#<id>, CUST#<no>) lists a manager's customers."""

    manager_id = UnicodeAttribute()
    name = UnicodeAttribute()
    phone = UnicodeAttribute()
    email = UnicodeAttribute()


class Customer(Item, discriminator="Customer"):
    """Klient: individual (PESEL) or institution (NIP, REGON, KRS). SK=@PROFILE."""

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
    # Municipal VAT centralisation (centralizacja rozliczeń VAT w JST): a municipal unit is
    # invoiced with the municipality as the buyer (Nabywca, its NIP) and itself as the
    # recipient (Podmiot3, rola "JST – odbiorca"). All three set, or none.
    buyer_name = UnicodeAttribute(null=True)
    buyer_nip = UnicodeAttribute(null=True)
    buyer_address = UnicodeAttribute(null=True)  # one line: "street no, postal code city"


class Premises(Item, discriminator="Premises"):
    """Punkt poboru / obiekt. SK=@PREM#<id>; GSI1 = (CITY#<city>, STREET#<street>#<no>#<id>)
    finds the premises on a street (outages, SMS alerts)."""

    premises_id = UnicodeAttribute()
    customer_no = UnicodeAttribute()
    label = UnicodeAttribute()
    address = Address()


class Contract(Item, discriminator="Contract"):
    """Umowa. SK=@CONTRACT#<no>; GSI1 = (CONTRACTS, @CONTRACT#<no>) lists every contract."""

    contract_no = UnicodeAttribute()
    customer_no = UnicodeAttribute()
    premises_id = UnicodeAttribute()
    product = UnicodeAttribute()  # heat | electricity
    tariff_group = UnicodeAttribute()  # e.g. W-1 (heat), G11, G12, C11
    ordered_capacity_mw = DecimalAttribute(null=True)
    start_date = UnicodeAttribute()
    end_date = UnicodeAttribute(null=True)  # open-ended when null


class Meter(Item, discriminator="Meter"):
    """Licznik. SK=@METER#<serial>; GSI1 = (METER#<serial>, CUST#<no>);
    registers: heat_gj/water_m3, total, day/night."""

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
    """The customer's whole item collection (current items and history): one Query."""
    return list(Item.query(customer_pk(customer_no)))


def current_items(customer_no: str) -> list[Item]:
    """Profile, manager snapshot, premises, contracts, meters, balance and the latest
    invoice of each contract: ONE Query ``SK begins_with "@"``, bounded by what the customer
    has now, never by its history (the overview; the invoicing worker's billing read)."""
    return list(Item.query(customer_pk(customer_no), Item.SK.startswith(CURRENT)))


def get_customer(customer_no: str) -> Customer | None:
    try:
        item = Item.get(customer_pk(customer_no), PROFILE_SK)
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


def manager_of(customer_no: str) -> str | None:
    """The id of the customer's account manager (the snapshot in the customer's collection)."""
    try:
        snapshot = Item.get(customer_pk(customer_no), MANAGER_SK)
    except Item.DoesNotExist:
        return None
    return getattr(snapshot, "manager_id", None)


def premises_on_street(city_key: str, street_key: str | None = None) -> list[Premises]:
    condition = Item.GSI1SK.startswith(street_sk(street_key, "")) if street_key else None
    return [i for i in Item.gsi1.query(city_pk(city_key), condition) if isinstance(i, Premises)]


def all_contracts() -> list[Contract]:
    return [i for i in Item.gsi1.query("CONTRACTS") if isinstance(i, Contract)]


def contracts_page(
    limit: int, cursor: dict[str, Any] | None = None
) -> tuple[list[Contract], dict[str, Any] | None]:
    """One page (at most ``limit``) of every contract (GSI1 CONTRACTS) and the key the next
    page starts after (None after the last): a job's invocation reads one page."""
    result = Item.gsi1.query("CONTRACTS", limit=limit, last_evaluated_key=cursor)
    page = [i for i in result if isinstance(i, Contract)]
    return page, result.last_evaluated_key


def decimal_or_none(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def create_customer(customer_no: str, manager: AccountManager, **profile: Any) -> Customer:
    """Write the profile and the manager snapshot together; refuse an existing number."""
    customer = Customer(
        customer_pk(customer_no),
        PROFILE_SK,
        customer_no=customer_no,
        manager_id=manager.manager_id,
        **profile,
    )
    snapshot = CustomerManager(
        customer_pk(customer_no),
        MANAGER_SK,
        GSI1PK=manager_pk(manager.manager_id),
        GSI1SK=customer_pk(customer_no),
        manager_id=manager.manager_id,
        name=manager.name,
        phone=manager.phone,
        email=manager.email,
    )
    with transaction() as tx:
        tx.save(customer, condition=Item.PK.does_not_exist())
        tx.save(snapshot, condition=Item.PK.does_not_exist())
    return customer


def create_account_manager(manager_id: str, name: str, phone: str, email: str) -> AccountManager:
    manager = AccountManager(
        manager_pk(manager_id),
        "PROFILE",
        manager_id=manager_id,
        name=name,
        phone=phone,
        email=email,
    )
    manager.save()
    return manager


def add_premises(
    customer_no: str,
    premises_id: str,
    label: str,
    address: Address,
    city_key: str,
    street_key: str,
) -> Premises:
    """A new premises, findable on its street (``city_key``/``street_key`` normalised)."""
    premises = Premises(
        customer_pk(customer_no),
        premises_sk(premises_id),
        GSI1PK=city_pk(city_key),
        GSI1SK=street_sk(street_key, address.building.upper(), premises_id),
        premises_id=premises_id,
        customer_no=customer_no,
        label=label,
        address=address,
    )
    premises.save(condition=Item.PK.does_not_exist())
    return premises


def add_contract(customer_no: str, contract_no: str, **terms: Any) -> Contract:
    """A new contract, also listed among every contract (GSI1 ``CONTRACTS``)."""
    contract = Contract(
        customer_pk(customer_no),
        contract_sk(contract_no),
        GSI1PK="CONTRACTS",
        GSI1SK=contract_sk(contract_no),
        contract_no=contract_no,
        customer_no=customer_no,
        **terms,
    )
    contract.save(condition=Item.PK.does_not_exist())
    return contract


def add_meter(
    customer_no: str, serial: str, contract: Contract, registers: list[str], installed_at: str
) -> Meter:
    meter = Meter(
        customer_pk(customer_no),
        meter_sk(serial),
        # GSI1 finds a meter by its serial (remote-reading import, services.readings).
        GSI1PK=meter_index_pk(serial),
        GSI1SK=customer_pk(customer_no),
        serial=serial,
        customer_no=customer_no,
        contract_no=contract.contract_no,
        premises_id=contract.premises_id,
        product=contract.product,
        registers=registers,
        installed_at=installed_at,
    )
    meter.save(condition=Item.PK.does_not_exist())
    return meter


def new_login(
    username: str,
    role: str,
    customer_nos: list[str],
    created_at: str,
    manager_id: str | None = None,
) -> Login:
    """A Login record (not yet written)."""
    return Login(
        login_pk(username),
        "LOGIN",
        username=username,
        role=role,
        customer_nos=customer_nos,
        manager_id=manager_id,
        enabled=True,
        created_at=created_at,
    )


def put_login(login: Login) -> None:
    login.save()


# --- audited changes -------------------------------------------------------------------

_FLAGS = ("building_manager", "einvoice_consent")


def profile_values(customer: Customer, fields: list[str]) -> dict[str, Any]:
    """The current values of ``fields`` as plain values (an address as a dict)."""
    out: dict[str, Any] = {}
    for name in fields:
        value = getattr(customer, name)
        if name == "address":
            out[name] = customer.address.as_dict()
        else:
            out[name] = bool(value) if name in _FLAGS else value
    return out


def update_profile(
    customer: Customer, changed: dict[str, Any], now: str, entry: AuditEntry
) -> None:
    """Set (or remove, for None) the changed profile fields with their audit entry, on
    condition that every changed field still holds the value read (no lost update);
    raises ``audit.ChangedMeanwhile`` otherwise. Giving the e-invoice consent stamps it."""
    actions: list[Any] = []
    condition: Any = Customer.PK.exists()
    before = profile_values(customer, list(changed))
    for name, value in changed.items():
        attr = getattr(Customer, name)
        if name == "address":
            actions.append(attr.set(Address(**value)))
            condition &= attr.city == customer.address.city
            condition &= attr.street == customer.address.street
            condition &= attr.building == customer.address.building
            continue
        actions.append(attr.remove() if value is None else attr.set(value))
        if name == "einvoice_consent":
            consent_at = Customer.einvoice_consent_at
            actions.append(consent_at.set(now) if value else consent_at.remove())
        old = before[name]
        condition &= attr.does_not_exist() if old is None else attr == old
    update_with_entry(customer, actions, condition, entry)


def replace_login_customers(login: Login, wanted: list[str], entry: AuditEntry) -> None:
    """Set the customers a login acts for, with its audit entry, on condition that the list
    is still the one read; raises ``audit.ChangedMeanwhile`` otherwise."""
    before = list(login.customer_nos or [])
    unchanged = Login.customer_nos == cast(Any, before)
    condition = unchanged if before else Login.customer_nos.does_not_exist() | unchanged
    update_with_entry(login, [Login.customer_nos.set(cast(Any, wanted))], condition, entry)
