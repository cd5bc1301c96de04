"""Creating customer records: profile, premises, contracts, meters, logins.

Used by the administration area, the registration flow and the local demo data, so that
every path validates the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from chalicelib.domain import clock, identifiers
from chalicelib.domain.ids import new_id
from chalicelib.errors import FieldError, NotFound, ValidationFailed
from chalicelib.store import customers as store
from chalicelib.store.customers import (
    AccountManager,
    Address,
    Contract,
    Customer,
    Login,
    Meter,
    Premises,
)


def address_from(data: dict[str, Any]) -> Address:
    postal = identifiers.clean_postal_code(data.get("postal_code", ""))
    if postal is None:
        raise ValidationFailed(errors=[FieldError("address.postal_code", "field.postal_code")])
    return Address(
        street=data["street"].strip(),
        building=data["building"].strip(),
        apartment=(data.get("apartment") or None),
        postal_code=postal,
        city=data["city"].strip(),
    )


def create_account_manager(manager_id: str, name: str, phone: str, email: str) -> AccountManager:
    return store.create_account_manager(manager_id, name, phone, email)


@dataclass
class NewCustomer:
    customer_no: str
    kind: str
    name: str
    address: dict[str, Any]
    email: str
    manager_id: str
    phone: str | None = None
    pesel: str | None = None
    nip: str | None = None
    regon: str | None = None
    krs: str | None = None
    building_manager: bool = False
    einvoice_consent: bool = False
    # Municipal VAT centralisation: the municipality as the buyer of this unit's invoices.
    buyer_name: str | None = None
    buyer_nip: str | None = None
    buyer_address: str | None = None


def validate_customer(data: NewCustomer) -> list[FieldError]:
    errors: list[FieldError] = []
    if data.kind == "individual":
        if not data.pesel or identifiers.clean_pesel(data.pesel) is None:
            errors.append(FieldError("pesel", "field.pesel"))
    elif data.kind == "institution":
        if not data.nip or identifiers.clean_nip(data.nip) is None:
            errors.append(FieldError("nip", "field.nip"))
        if not data.regon or identifiers.clean_regon(data.regon) is None:
            errors.append(FieldError("regon", "field.regon"))
        if data.krs and identifiers.clean_krs(data.krs) is None:
            errors.append(FieldError("krs", "field.krs"))
    else:
        errors.append(FieldError("kind", "field.invalid"))
    if identifiers.clean_email(data.email) is None:
        errors.append(FieldError("email", "field.email"))
    if data.phone and identifiers.clean_phone(data.phone) is None:
        errors.append(FieldError("phone", "field.phone"))
    if identifiers.clean_postal_code(data.address.get("postal_code", "")) is None:
        errors.append(FieldError("address.postal_code", "field.postal_code"))
    if data.buyer_nip and identifiers.clean_nip(data.buyer_nip) is None:
        errors.append(FieldError("buyer_nip", "field.nip"))
    buyer = (data.buyer_name, data.buyer_nip, data.buyer_address)
    if any(buyer) and not (all(buyer) and data.kind == "institution"):
        errors.append(FieldError("buyer_nip", "admin.buyer_incomplete"))
    return errors


def create_customer(data: NewCustomer) -> Customer:
    errors = validate_customer(data)
    if errors:
        raise ValidationFailed(errors=errors)
    manager = store.get_account_manager(data.manager_id)
    if manager is None:
        raise NotFound()
    now = clock.now_iso()
    return store.create_customer(
        data.customer_no,
        manager,
        kind=data.kind,
        name=data.name.strip(),
        pesel=identifiers.clean_pesel(data.pesel) if data.pesel else None,
        nip=identifiers.clean_nip(data.nip) if data.nip else None,
        regon=identifiers.clean_regon(data.regon) if data.regon else None,
        krs=identifiers.clean_krs(data.krs) if data.krs else None,
        address=address_from(data.address),
        email=identifiers.clean_email(data.email),
        phone=identifiers.clean_phone(data.phone) if data.phone else None,
        building_manager=data.building_manager,
        einvoice_consent=data.einvoice_consent,
        einvoice_consent_at=now if data.einvoice_consent else None,
        created_at=now,
        buyer_name=data.buyer_name,
        buyer_nip=identifiers.clean_nip(data.buyer_nip) if data.buyer_nip else None,
        buyer_address=data.buyer_address,
    )


def add_premises(
    customer_no: str, label: str, address: dict[str, Any], premises_id: str | None = None
) -> Premises:
    addr = address_from(address)
    pid = premises_id or f"P-{new_id()[-10:]}"
    return store.add_premises(
        customer_no,
        pid,
        label,
        addr,
        city_key=identifiers.normalise_city(addr.city),
        street_key=identifiers.normalise_city(addr.street),
    )


def add_contract(
    customer_no: str,
    contract_no: str,
    premises_id: str,
    product: str,
    tariff_group: str,
    start_date: str,
    end_date: str | None = None,
    ordered_capacity_mw: Decimal | None = None,
) -> Contract:
    if product not in ("heat", "electricity"):
        raise ValidationFailed(errors=[FieldError("product", "field.invalid")])
    if product == "heat" and ordered_capacity_mw is None:
        raise ValidationFailed(errors=[FieldError("ordered_capacity_mw", "field.required")])
    return store.add_contract(
        customer_no,
        contract_no,
        premises_id=premises_id,
        product=product,
        tariff_group=tariff_group,
        ordered_capacity_mw=ordered_capacity_mw,
        start_date=start_date,
        end_date=end_date,
    )


REGISTERS = {
    "heat": ["heat_gj", "water_m3"],
    "G11": ["total"],
    "G12": ["day", "night"],
}


def add_meter(customer_no: str, serial: str, contract: Contract, installed_at: str) -> Meter:
    registers = (
        REGISTERS["heat"]
        if contract.product == "heat"
        else REGISTERS.get(contract.tariff_group, ["total"])
    )
    return store.add_meter(customer_no, serial, contract, registers, installed_at)


def create_login(
    username: str, role: str, customer_nos: list[str] | None = None, manager_id: str | None = None
) -> Login:
    login = store.new_login(username, role, customer_nos or [], clock.now_iso(), manager_id)
    store.put_login(login)
    return login
