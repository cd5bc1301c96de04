"""Data access: PynamoDB models over the single table and repository functions.

Every model module is imported here so that polymorphic queries over an item collection
know every ``type`` they can meet.
"""

from chalicelib.store import customers  # noqa: F401
from chalicelib.store import ledger  # noqa: F401
from chalicelib.store import auth  # noqa: F401
from chalicelib.store import registrations  # noqa: F401
from chalicelib.store import audit  # noqa: F401
from chalicelib.store import outages  # noqa: F401
from chalicelib.store import alerts  # noqa: F401
from chalicelib.store import faults  # noqa: F401
from chalicelib.store import request_keys  # noqa: F401
