"""Bank statements booked as a fan-out: the statement's record (``store.ledger.Statement``)
counts pages as workers finish them; each page's marker makes its counting happen once.

Keys: the statement ``PK=STATEMENT#<id>, SK=STATEMENT`` (GSI1 = STATEMENTS, imported_at);
a page ``PK=STATEMENT#<id>, SK=PAGE#<import no>#<page no>`` (TTL 30 days). A file that could
not be read is recorded as a statement with ``status=rejected`` and the reason, so the
administrators' statement list shows it (nothing is dropped silently).
"""

from __future__ import annotations

import contextlib
import hashlib
from datetime import timedelta

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import TransactWriteError, UpdateError
from pynamodb.expressions.update import Action

from chalicelib.domain import clock
from chalicelib.store.base import Item, transaction
from chalicelib.store.ledger import STATEMENT_SK, STATEMENTS, Statement, statement_pk

QUEUED, BOOKED, REJECTED = "queued", "booked", "rejected"
PAGE_TTL = timedelta(days=30)


class StatementPage(Item, discriminator="StatementPage"):
    """One booked page of a statement import (its counts, written once)."""

    statement_id = UnicodeAttribute()
    page = NumberAttribute()
    booked = NumberAttribute(default=0)
    suspense = NumberAttribute(default=0)
    duplicates = NumberAttribute(default=0)


def page_sk(import_no: int, page: int) -> str:
    return f"PAGE#{import_no:04d}#{page:05d}"


def begin_import(
    statement_id: str,
    *,
    account: str | None,
    created: str | None,
    source_key: str | None,
    entries: int,
    skipped: int,
    pages: int,
    notes: list[str],
    now: str,
) -> int:
    """Open an import of the statement (counts start at zero); returns its import number."""
    actions: list[Action] = [
        Statement.type.set(Statement),  # type: ignore[arg-type]
        Statement.statement_id.set(statement_id),
        Statement.entries.set(entries),
        Statement.booked.set(0),
        Statement.suspense.set(0),
        Statement.duplicates.set(0),
        Statement.skipped.set(skipped),
        Statement.pages.set(pages),
        Statement.pages_done.set(0),
        Statement.status.set(QUEUED if pages else BOOKED),
        Statement.imports.add(1),
        Statement.imported_at.set(now),
        Statement.GSI1PK.set(STATEMENTS),
        Statement.GSI1SK.set(f"{now}#{statement_id}"),
        Statement.reason.remove(),
    ]
    for attr, value in (
        (Statement.account, account),
        (Statement.created, created),
        (Statement.source_key, source_key),
    ):
        actions.append(attr.set(value) if value else attr.remove())
    actions.append(
        Statement.notes.set(notes) if notes else Statement.notes.remove()  # type: ignore[arg-type]
    )
    item = Statement(statement_pk(statement_id), STATEMENT_SK)
    item.update(actions=actions)
    return int(item.imports or 1)


def record_page(
    statement_id: str, import_no: int, page: int, booked: int, suspense: int, duplicates: int
) -> bool:
    """Count a finished page once (marker + counters in one transaction); False when this
    page was already counted (a redelivered message) or belongs to a superseded import."""
    marker = StatementPage(
        statement_pk(statement_id),
        page_sk(import_no, page),
        statement_id=statement_id,
        page=page,
        booked=booked,
        suspense=suspense,
        duplicates=duplicates,
    )
    marker.expires_at = clock.now() + PAGE_TTL
    try:
        with transaction() as tx:
            tx.save(marker, condition=StatementPage.PK.does_not_exist())
            tx.update(
                Statement(statement_pk(statement_id), STATEMENT_SK),
                actions=[
                    Statement.booked.add(booked),
                    Statement.suspense.add(suspense),
                    Statement.duplicates.add(duplicates),
                    Statement.pages_done.add(1),
                ],
                # Only the statement's latest import counts (a re-import restarts the counts;
                # a page of an earlier import still books its credits, idempotently).
                condition=Statement.imports == import_no,
            )
    except TransactWriteError:
        return False
    with contextlib.suppress(UpdateError):  # the last page closes the import
        Statement(statement_pk(statement_id), STATEMENT_SK).update(
            actions=[Statement.status.set(BOOKED)],
            condition=Statement.pages_done == Statement.pages,
        )
    return True


def reject_file(source_key: str, reason: str, size: int | None, now: str) -> str:
    """Record a file that could not be imported; the administrators' list shows it."""
    digest = hashlib.sha256(source_key.encode()).hexdigest()[:16]
    statement_id = f"rejected/{digest}"
    Statement(statement_pk(statement_id), STATEMENT_SK).update(
        actions=[
            Statement.type.set(Statement),  # type: ignore[arg-type]
            Statement.statement_id.set(statement_id),
            Statement.source_key.set(source_key[:500]),
            Statement.status.set(REJECTED),
            Statement.reason.set(reason[:500] + (f" ({size} bytes)" if size else "")),
            Statement.imports.add(1),
            Statement.imported_at.set(now),
            Statement.GSI1PK.set(STATEMENTS),
            Statement.GSI1SK.set(f"{now}#{statement_id}"),
        ]
    )
    return statement_id


def get_statement(statement_id: str) -> Statement | None:
    try:
        return Statement.get(statement_pk(statement_id), STATEMENT_SK, consistent_read=True)
    except Statement.DoesNotExist:
        return None
