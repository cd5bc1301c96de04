"""No PESEL, NIP, phone number or e-mail address reaches a log line."""

from __future__ import annotations

import io
import logging


def test_requests_and_refusals_log_no_personal_data(api, world, login_as) -> None:
    from chalicelib.observability import logger

    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logger.registered_formatter)
    logger.addHandler(handler)
    try:
        headers = login_as("customer", [world.individual])
        api.get(f"/customers/{world.individual}/overview", headers=headers)
        api.get(f"/customers/{world.other_individual}/overview", headers=headers)
        api.get("/customers/100001/overview", headers={"Authorization": "Bearer not-a-token"})
        logger.info(
            "customer contact 8971018828",
            extra={
                "email": "jan.kowalski@example.pl",
                "pesel": "44051401359",
                "phone": "+48600100200",
            },
        )
    finally:
        logger.removeHandler(handler)
    text = buffer.getvalue()
    assert "customer contact" in text, "the logger printed nothing: the test would prove nothing"
    assert "request refused" in text
    for secret in (
        "44051401359",
        "8971018828",
        "+48600100200",
        "600100200",
        "jan.kowalski@example.pl",
    ):
        assert secret not in text
