"""Data access: PynamoDB models over the single table and repository functions.

Every model module is imported here so that polymorphic queries over an item collection
know every ``type`` they can meet.
"""

from chalicelib.store import (
    alerts,  # noqa: F401
    applications,  # noqa: F401
    audit,  # noqa: F401
    auth,  # noqa: F401
    consents,  # noqa: F401
    consumption,  # noqa: F401
    contracts,  # noqa: F401
    corrections,  # noqa: F401
    customers,  # noqa: F401
    documents,  # noqa: F401
    faults,  # noqa: F401
    invoices,  # noqa: F401
    invoicing_runs,  # noqa: F401
    ksef,  # noqa: F401
    ledger,  # noqa: F401
    outages,  # noqa: F401
    preferences,  # noqa: F401
    privacy,  # noqa: F401
    readings,  # noqa: F401
    registrations,  # noqa: F401
    reports,  # noqa: F401
    request_keys,  # noqa: F401
    reviews,  # noqa: F401
    statements,  # noqa: F401
    tariffs,  # noqa: F401
    threads,  # noqa: F401
    weather,  # noqa: F401
    workspace,  # noqa: F401
)
