"""Data access: PynamoDB models over the single table and repository functions.

Nothing is imported here: a cold start loads only the store modules its code imports. A read
over an item collection can meet an entity of an area the process has not loaded yet; its
``type`` names the class and ``AREAS`` names the module that defines it, which is then
imported (``load``), once. A query over every entity (``Item.query``) returns every typed
item (``store.base``), as when every module was imported up front.
``tests/unit/test_store_registry.py`` keeps this list equal to the models that exist.
"""

from __future__ import annotations

import importlib

# area module (chalicelib/store/<area>.py) -> the discriminators (``type``) it defines
AREAS: dict[str, tuple[str, ...]] = {
    "alerts": ("AlertSubscription",),
    "applications": (
        "Application",
        "ApplicationAttachment",
        "ApplicationChange",
        "ApplicationEffect",
        "DirectDebitMandate",
        "Instalment",
        "InstalmentPlan",
        "PayoutOrder",
        "ProxyGrant",
    ),
    "approvals": ("CorrectionRequest", "LedgerRequest", "SuspenseRequest"),
    "audit": ("AuditEntry",),
    "auth": ("LoginGuard", "PortalAccess", "RateCounter", "ResetCode"),
    "consents": ("ConsentHead", "ConsentRecord"),
    "consumption": ("UsageMonth",),
    "contracts": ("ContractAnnex", "ContractChange", "ContractReminder", "ContractTerms"),
    "customers": (
        "AccountManager",
        "Contract",
        "Customer",
        "CustomerManager",
        "Login",
        "Meter",
        "Premises",
    ),
    "documents": ("CustomerDocument", "PublicDocument", "RegulationsAcceptance"),
    "faults": ("FaultChange", "FaultCounter", "FaultPhoto", "FaultQueueEntry", "FaultTicket"),
    "invoices": (
        "BillingMark",
        "ConsentChange",
        "Invoice",
        "InvoiceCounter",
        "InvoiceDelivery",
        "LatestInvoice",
    ),
    "invoicing_runs": ("InvoicingRun", "InvoicingRunPage"),
    "ksef": ("KsefSubmission",),
    "ledger": (
        "AccountBalance",
        "BankEntry",
        "InvoiceOwner",
        "LedgerEntry",
        "NoticeSent",
        "Payment",
        "Statement",
    ),
    "outages": ("NoticeDelivery", "Outage", "OutageChange", "OutageCity", "OutageNotice"),
    "preferences": (
        "MobileCode",
        "Notification",
        "OutageWatch",
        "Preferences",
        "SkippedSend",
        "Suppression",
        "TokenUse",
        "TransientBounce",
    ),
    "privacy": ("PrivacyOpen", "PrivacyRequest", "StaffRead"),
    "readings": ("Reading",),
    "registrations": ("CustomerNumberSequence", "PendingNip", "Registration"),
    "reports": ("PeerSample", "PeerSummary", "ReportRunPage", "StoredReport"),
    "request_keys": ("RequestKey",),
    "reviews": ("NoticePage",),
    "signins": ("SignInHistory",),
    "statements": ("StatementPage",),
    "tariffs": ("TariffVersion",),
    "threads": ("Message", "MessageAttachment", "MessageThread"),
    "weather": ("AirQuality", "CurrentWeather", "DailyTemperature", "WeatherObservation"),
    "workspace": ("ManagerQueueEntry",),
}

MODULE_OF: dict[str, str] = {t: area for area, types in AREAS.items() for t in types}


def load(discriminator: str) -> bool:
    """Import the store module defining the entity ``discriminator``. A type missing from
    ``AREAS`` (a new model not listed yet) imports every store module rather than fail a
    read; False if none defines it."""
    area = MODULE_OF.get(discriminator)
    if area is None:
        load_all()
        return False
    importlib.import_module(f"chalicelib.store.{area}")  # the import lock serialises threads
    return True


def load_all() -> None:
    """Every store module (a type not listed, tools and tests that walk all models)."""
    import pkgutil

    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")
