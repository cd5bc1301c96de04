"""Secure messages (wiadomości): threads between a customer and the account manager, with
attachments (presigned uploads), unread counts per side, and an e-mail that says a new
message is waiting (never its content). An open thread asks for what is new since the last
message it has (``after``), so new messages appear without a reload.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from chalicelib.adapters import s3, ses
from chalicelib.config import settings
from chalicelib.domain import clock
from chalicelib.domain import documents as doc_rules
from chalicelib.domain.ids import new_id
from chalicelib.domain.principal import Principal
from chalicelib.errors import Conflict, FieldError, NotFound, ValidationFailed
from chalicelib.observability import logger
from chalicelib.render import selfservice_mail
from chalicelib.services.access import require_customer
from chalicelib.store import customers as customer_store
from chalicelib.store import threads as store
from chalicelib.store import workspace as queue_store
from chalicelib.store.request_keys import find_request, new_request_key
from chalicelib.store.threads import Message, MessageAttachment, MessageThread

ANSWER_WITHIN = timedelta(days=2)
MAX_FILES = 5


def side_of(principal: Principal) -> str:
    return "customer" if principal.acts_for_customers else "manager"


def _unread(t: MessageThread, side: str) -> int:
    return int((t.unread_customer if side == "customer" else t.unread_manager) or 0)


def thread_public(t: MessageThread, side: str) -> dict[str, Any]:
    return {
        "thread_id": t.thread_id,
        "customer_no": t.customer_no,
        "subject": t.subject,
        "created_at": t.created_at,
        "last_at": t.last_at,
        "messages": int(t.messages or 0),
        "unread": _unread(t, side),
        "waiting_for_manager": bool(t.waiting_since),
    }


def _message_public(m: Message, files: dict[str, MessageAttachment]) -> dict[str, Any]:
    bucket = settings().documents_bucket
    return {
        "message_id": m.message_id,
        "cursor": m.SK,
        "at": m.at,
        "side": m.side,
        "text": m.text,
        "attachments": [
            {
                "attachment_id": a.attachment_id,
                "filename": a.filename,
                "content_type": a.content_type,
                "url": s3.presigned_get(bucket, a.key, 300, a.filename),
            }
            for a in (files[str(i)] for i in m.attachments or [] if str(i) in files)
        ],
    }


def list_threads(principal: Principal, customer_no: str) -> dict[str, Any]:
    require_customer(principal, customer_no)
    side = side_of(principal)
    threads = store.customer_threads(customer_no)
    return {
        "threads": [thread_public(t, side) for t in threads],
        "unread": sum(_unread(t, side) for t in threads),
    }


def threads_of(customer_no: str) -> list[dict[str, Any]]:
    """The customer's threads as the manager sees them (workspace)."""
    return [thread_public(t, "manager") for t in store.customer_threads(customer_no)]


def _file_errors(files: list[dict[str, Any]]) -> list[FieldError]:
    errors = []
    if len(files) > MAX_FILES:
        errors.append(FieldError("attachments", "threads.too_many_files", {"n": MAX_FILES}))
    for i, f in enumerate(files):
        if f["content_type"] not in doc_rules.CONTENT_TYPES:
            errors.append(
                FieldError(f"attachments.{i}.content_type", "applications.attachment_type")
            )
        if not 0 < int(f["size"]) <= doc_rules.MAX_DOCUMENT_BYTES:
            errors.append(
                FieldError(
                    f"attachments.{i}.size",
                    "applications.attachment_size",
                    {"mb": doc_rules.MAX_DOCUMENT_BYTES // 2**20},
                )
            )
    return errors


def _text(data: dict[str, Any]) -> str:
    text = str(data["text"]).strip()
    errors = [] if text else [FieldError("text", "field.required")]
    errors += _file_errors(data.get("attachments") or [])
    if errors:
        raise ValidationFailed(errors=errors)
    return text


def _tell_customer(thread: MessageThread) -> None:
    """The "new message" e-mail, if the customer wants it (preferences: ``message_new``),
    in the customer's language; once per message (its time in the thread)."""
    from chalicelib.services import preferences

    customer = customer_store.get_customer(thread.customer_no)
    if customer is None or not customer.email:
        return
    ref = f"{thread.thread_id}#{thread.last_at}"
    terms = preferences.email_terms(thread.customer_no, "message_new", ref)
    if terms is None:
        return
    mail = selfservice_mail.message_waiting_mail(
        terms[0], customer.name, thread.thread_id, terms[1]
    )
    ses.send_email([customer.email], mail.subject, mail.text, mail.html, headers=mail.headers)


def _notify(thread: MessageThread, side: str) -> None:
    """Tell the other side a message is waiting (best effort; never the content)."""
    try:
        if side == "customer":
            manager = customer_store.get_account_manager(thread.manager_id)
            if manager is None:
                return
            to, name, for_manager = manager.email, manager.name, True
        else:
            _tell_customer(thread)
            return
        subject, text = selfservice_mail.message_waiting(
            name, thread.thread_id, for_manager, thread.customer_no
        )
        ses.send_email([to], subject, text)
    except Exception:
        logger.exception("message e-mail failed", extra={"thread": thread.thread_id})


def _post(
    principal: Principal,
    thread: MessageThread,
    text: str,
    files: list[dict[str, Any]],
    new_thread: bool,
    request_id: str | None,
) -> dict[str, Any]:
    side = side_of(principal)
    now = clock.now()
    at = clock.iso(now)
    bucket = settings().documents_bucket
    slots, uploads = [], []
    message_id = new_id()
    for f in files:
        attachment_id = new_id()
        key = f"messages/{thread.thread_id}/{attachment_id}{doc_rules.CONTENT_TYPES[f['content_type']]}"
        filename = doc_rules.safe_filename(f.get("filename") or "zalacznik")
        slots.append(
            store.new_attachment(
                thread.thread_id,
                attachment_id,
                message_id=message_id,
                filename=filename,
                key=key,
                content_type=f["content_type"],
                size=int(f["size"]),
            )
        )
        uploads.append(
            {
                "attachment_id": attachment_id,
                "upload": s3.presigned_post(bucket, key, f["content_type"], int(f["size"])),
            }
        )
    message = store.new_message(
        thread.thread_id,
        message_id,
        at,
        author=principal.username,
        side=side,
        text=text,
        attachments=[s.attachment_id for s in slots],
    )
    waiting = bool(thread.waiting_since) and not new_thread
    due = (clock.to_warsaw(now).date() + ANSWER_WITHIN).isoformat()
    queue_add = None
    if side == "customer" and not waiting and thread.manager_id:
        queue_add = queue_store.queue_entry(
            thread.manager_id,
            "thread",
            thread.thread_id,
            due,
            customer_no=thread.customer_no,
            title=thread.subject,
            status="waiting",
            since=at,
        )
        if new_thread:
            thread.waiting_since, thread.waiting_due, thread.unread_manager = at, due, 1
    if new_thread and side == "manager":
        thread.unread_customer = 1
    thread.messages = 1 if new_thread else thread.messages
    request_key = (
        new_request_key("message", request_id, thread.thread_id, principal.username, now)
        if request_id
        else None
    )
    posted = store.post(
        store.Post(
            thread,
            message,
            slots,
            new_thread,
            request_key,
            queue_add,
            queue_remove=side == "manager" and waiting,
        )
    )
    if not posted:
        raise Conflict("threads.replayed")
    _notify(thread, side)
    return {
        "thread_id": thread.thread_id,
        "message_id": message_id,
        "cursor": message.SK,
        "uploads": uploads,
    }


def start(principal: Principal, customer_no: str, data: dict[str, Any]) -> dict[str, Any]:
    """A new thread with its first message (the customer's or the manager's)."""
    require_customer(principal, customer_no)
    request_id = data.get("request_id")
    earlier = find_request("message", request_id, principal.username) if request_id else None
    if earlier:
        return {"thread_id": earlier, "message_id": None, "cursor": None, "uploads": []}
    subject = " ".join(str(data["subject"]).split())
    text = _text(data)
    if not subject:
        raise ValidationFailed(errors=[FieldError("subject", "field.required")])
    manager_id = customer_store.manager_of(customer_no)
    if manager_id is None:
        raise Conflict("threads.no_manager")
    thread = store.new_thread(
        new_id(), customer_no, clock.now_iso(), manager_id=manager_id, subject=subject
    )
    return _post(principal, thread, text, data.get("attachments") or [], True, request_id)


def _thread(customer_no: str, thread_id: str) -> MessageThread:
    thread = store.get_thread(thread_id)
    if thread is None or thread.customer_no != customer_no:
        raise NotFound()
    return thread


def reply(
    principal: Principal, customer_no: str, thread_id: str, data: dict[str, Any]
) -> dict[str, Any]:
    require_customer(principal, customer_no)
    request_id = data.get("request_id")
    if request_id and find_request("message", request_id, principal.username):
        return {"thread_id": thread_id, "message_id": None, "cursor": None, "uploads": []}
    text = _text(data)
    thread = _thread(customer_no, thread_id)
    return _post(principal, thread, text, data.get("attachments") or [], False, request_id)


def read(
    principal: Principal, customer_no: str, thread_id: str, after: str | None
) -> dict[str, Any]:
    """The thread and its messages (only those after ``after``: a message cursor); reading
    sets the reader's unread count to zero."""
    require_customer(principal, customer_no)
    if after is not None and not store.is_message_cursor(after):
        raise ValidationFailed(errors=[FieldError("after", "field.invalid")])
    thread = _thread(customer_no, thread_id)
    records = store.thread_records(thread_id, after)
    assert records is not None
    side = side_of(principal)
    store.mark_read(thread, side)
    files = {a.attachment_id: a for a in records.attachments}
    return thread_public(records.thread, side) | {
        "unread": 0,
        "items": [_message_public(m, files) for m in records.messages],
    }


def unread(principal: Principal) -> dict[str, Any]:
    """Unread messages of the caller: a customer's over its customer numbers, a manager's
    over the threads waiting in the queue."""
    if principal.acts_for_customers:
        total = sum(
            int(t.unread_customer or 0)
            for no in principal.customer_nos
            for t in store.customer_threads(no)
        )
        return {"unread": total}
    if principal.manager_id:
        waiting = [e for e in queue_store.queue(principal.manager_id) if e.kind == "thread"]
        return {"unread": len(waiting)}
    return {"unread": 0}
