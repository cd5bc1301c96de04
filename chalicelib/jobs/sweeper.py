"""The hand-over sweeper (services.delivery.sweep): every 10 minutes, invoice e-mails whose
worker died before handing them to a queue (or whose claim went stale) and KSeF submissions
stuck past their deadline are queued again. Idempotent: each hand-over is guarded by its
claim, so an e-mail is sent once however often it is queued. Locally: ``python -m devstack
job handover_sweeper``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint, Rate

from chalicelib.lazy import lazy_module

if TYPE_CHECKING:
    from chalicelib.services import delivery
else:
    delivery = lazy_module("chalicelib.services.delivery")

blueprint = Blueprint(__name__)


@blueprint.schedule(Rate(10, unit=Rate.MINUTES), name="handover_sweeper")
def handover_sweeper(event: Any) -> dict[str, int]:
    return delivery.sweep()
