"""Is the table reachable, are the buckets there?"""

from __future__ import annotations

from typing import Any

from chalicelib.adapters import s3
from chalicelib.config import settings
from chalicelib.store.health import table_status


def check() -> tuple[bool, dict[str, Any]]:
    cfg = settings()
    checks: dict[str, str] = {}
    try:
        checks["table"] = "ok" if table_status() == "ACTIVE" else "not active"
    except Exception as exc:  # reachability is the question, any failure is the answer
        checks["table"] = f"unreachable ({type(exc).__name__})"
    for name, bucket in (
        ("documents_bucket", cfg.documents_bucket),
        ("invoices_bucket", cfg.invoices_bucket),
        ("reports_bucket", cfg.reports_bucket),
        ("statements_bucket", cfg.statements_bucket),
    ):
        try:
            s3.head_bucket(bucket)
            checks[name] = "ok"
        except Exception as exc:
            checks[name] = f"unreachable ({type(exc).__name__})"
    healthy = all(v == "ok" for v in checks.values())
    return healthy, {
        "status": "ok" if healthy else "degraded",
        "stage": cfg.stage,
        "checks": checks,
    }
