"""Who is calling: built by the authorizer from a verified token and the Login item."""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("customer", "building_manager", "account_manager", "operator", "admin")
# Role groups the routes allow (``Area.route(roles=...)``).
CUSTOMERS = frozenset({"customer", "building_manager"})  # act for their own customer numbers
CUSTOMER_SCOPED = frozenset({"customer", "building_manager", "account_manager", "admin"})
ACCOUNT_MANAGERS = frozenset({"account_manager"})
OPERATORS = frozenset({"operator"})
STAFF = frozenset({"operator", "admin"})
ADMINS = frozenset({"admin"})
# Cognito groups that carry each role (infra/template.yaml creates them).
GROUP_OF_ROLE = {
    "customer": "customers",
    "building_manager": "customers",
    "account_manager": "managers",
    "operator": "operators",
    "admin": "admins",
}


@dataclass(frozen=True)
class Principal:
    username: str
    role: str
    customer_nos: tuple[str, ...] = ()
    manager_id: str | None = None

    def to_context(self) -> dict[str, str]:
        """API Gateway authorizer context values must be flat strings."""
        return {
            "role": self.role,
            "customers": ",".join(self.customer_nos),
            "manager_id": self.manager_id or "",
        }

    @classmethod
    def from_context(cls, context: dict[str, object]) -> Principal:
        customers = str(context.get("customers") or "")
        return cls(
            username=str(context.get("principalId") or ""),
            role=str(context.get("role") or ""),
            customer_nos=tuple(c for c in customers.split(",") if c),
            manager_id=str(context.get("manager_id") or "") or None,
        )

    @property
    def acts_for_customers(self) -> bool:
        return self.role in ("customer", "building_manager")
