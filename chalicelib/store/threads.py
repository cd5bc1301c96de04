"""Secure messages: threads between a customer and the account manager.

- ``PK = THREAD#<id>``: ``THREAD`` MessageThread (GSI1 = ``THREADS#<customer_no>`` /
  ``<last_at>#<id>``: the customer's threads, latest activity first; unread counts of each
  side), ``MSG#<at>#<id>`` Message (oldest first; ``SK > MSG#<after>`` reads only what is
  new, for an open thread that polls), ``ATT#<id>`` MessageAttachment.
- A customer's message puts the thread in the manager's queue
  (``store.workspace.ManagerQueueEntry``); the manager's answer takes it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pynamodb.attributes import ListAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import TransactWriteError

from chalicelib.store.base import Item, transaction
from chalicelib.store.request_keys import RequestKey
from chalicelib.store.workspace import ManagerQueueEntry, queue_key


def thread_pk(thread_id: str) -> str:
    return f"THREAD#{thread_id}"


def customer_threads_pk(customer_no: str) -> str:
    return f"THREADS#{customer_no}"


def message_sk(at: str, message_id: str) -> str:
    return f"MSG#{at}#{message_id}"


def is_message_cursor(value: str) -> bool:
    """A message's sort key, as handed out to an open thread for ``after``."""
    return value.startswith("MSG#")


def attachment_sk(attachment_id: str) -> str:
    return f"ATT#{attachment_id}"


class MessageThread(Item, discriminator="MessageThread"):
    thread_id = UnicodeAttribute()
    customer_no = UnicodeAttribute()
    manager_id = UnicodeAttribute()
    subject = UnicodeAttribute()
    created_at = UnicodeAttribute()
    last_at = UnicodeAttribute()
    unread_customer = NumberAttribute(default=0)
    unread_manager = NumberAttribute(default=0)
    waiting_since = UnicodeAttribute(null=True)  # first unanswered customer message
    waiting_due = UnicodeAttribute(null=True)  # its queue entry's due date
    messages = NumberAttribute(default=0)


class Message(Item, discriminator="Message"):
    thread_id = UnicodeAttribute()
    message_id = UnicodeAttribute()
    at = UnicodeAttribute()
    author = UnicodeAttribute()  # username
    side = UnicodeAttribute()  # customer | manager
    text = UnicodeAttribute()
    attachments = ListAttribute(of=UnicodeAttribute, default=list)


class MessageAttachment(Item, discriminator="MessageAttachment"):
    thread_id = UnicodeAttribute()
    attachment_id = UnicodeAttribute()
    message_id = UnicodeAttribute()
    filename = UnicodeAttribute()
    key = UnicodeAttribute()
    content_type = UnicodeAttribute()
    size = NumberAttribute()


@dataclass
class ThreadRecords:
    thread: MessageThread
    messages: list[Message] = field(default_factory=list)
    attachments: list[MessageAttachment] = field(default_factory=list)


def new_thread(thread_id: str, customer_no: str, created_at: str, **fields: Any) -> MessageThread:
    return MessageThread(
        thread_pk(thread_id),
        "THREAD",
        GSI1PK=customer_threads_pk(customer_no),
        GSI1SK=f"{created_at}#{thread_id}",
        thread_id=thread_id,
        customer_no=customer_no,
        created_at=created_at,
        last_at=created_at,
        **fields,
    )


def new_message(thread_id: str, message_id: str, at: str, **fields: Any) -> Message:
    return Message(
        thread_pk(thread_id),
        message_sk(at, message_id),
        thread_id=thread_id,
        message_id=message_id,
        at=at,
        **fields,
    )


def new_attachment(thread_id: str, attachment_id: str, **fields: Any) -> MessageAttachment:
    return MessageAttachment(
        thread_pk(thread_id),
        attachment_sk(attachment_id),
        thread_id=thread_id,
        attachment_id=attachment_id,
        **fields,
    )


def get_thread(thread_id: str) -> MessageThread | None:
    try:
        item = Item.get(thread_pk(thread_id), "THREAD", consistent_read=True)
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, MessageThread) else None


def thread_records(thread_id: str, after: str | None = None) -> ThreadRecords | None:
    """The thread, its messages (only those after the message key ``after``, when given)
    and attachments."""
    thread = get_thread(thread_id)
    if thread is None:
        return None
    cond = Item.SK > after if after else Item.SK.startswith("MSG#")  # noqa: SIM300
    messages = [
        i
        for i in Item.query(thread_pk(thread_id), cond, consistent_read=True)
        if isinstance(i, Message)
    ]
    attachments = [
        i
        for i in Item.query(thread_pk(thread_id), Item.SK.startswith("ATT#"))
        if isinstance(i, MessageAttachment)
    ]
    return ThreadRecords(thread, messages, attachments)


def customer_threads(customer_no: str, limit: int = 100) -> list[MessageThread]:
    return [
        i
        for i in Item.gsi1.query(
            customer_threads_pk(customer_no), scan_index_forward=False, limit=limit
        )
        if isinstance(i, MessageThread)
    ]


@dataclass
class Post:
    """A new message (and a new thread, or the thread's counters)."""

    thread: MessageThread
    message: Message
    attachments: list[MessageAttachment]
    new_thread: bool
    request: RequestKey | None = None
    queue_add: ManagerQueueEntry | None = None
    queue_remove: bool = False


def post(p: Post) -> bool:
    """One transaction: the message, its attachment slots, the thread (created, or its
    counters and GSI1 order moved), the queue entry and the request key; False on a replay."""
    t = p.thread
    try:
        with transaction() as tx:
            if p.request is not None:
                tx.save(p.request, condition=Item.PK.does_not_exist())
            tx.save(p.message, condition=Item.PK.does_not_exist())
            for a in p.attachments:
                tx.save(a, condition=Item.PK.does_not_exist())
            if p.new_thread:
                tx.save(t, condition=Item.PK.does_not_exist())
            else:
                tx.update(t, actions=_thread_actions(p))
            if p.queue_remove and t.waiting_due:
                tx.delete(queue_key(t.manager_id, "thread", t.thread_id, t.waiting_due))
            if p.queue_add is not None:
                tx.save(p.queue_add)
    except TransactWriteError as exc:
        if any(
            r is not None and r.code == "ConditionalCheckFailed" for r in exc.cancellation_reasons
        ):
            return False
        raise
    return True


def _thread_actions(p: Post) -> list[Any]:
    t, side, at = p.thread, p.message.side, p.message.at
    actions: list[Any] = [
        MessageThread.last_at.set(at),
        MessageThread.GSI1SK.set(f"{at}#{t.thread_id}"),
        MessageThread.messages.add(1),
    ]
    if side == "customer":
        actions.append(MessageThread.unread_manager.add(1))
        if p.queue_add is not None:
            actions += [
                MessageThread.waiting_since.set(at),
                MessageThread.waiting_due.set(p.queue_add.due_date),
            ]
    else:
        actions.append(MessageThread.unread_customer.add(1))
        if p.queue_remove:
            actions += [MessageThread.waiting_since.remove(), MessageThread.waiting_due.remove()]
    return actions


def mark_read(thread: MessageThread, side: str) -> None:
    """The side's unread count back to zero (read the thread)."""
    attr = MessageThread.unread_customer if side == "customer" else MessageThread.unread_manager
    if int(getattr(thread, attr.attr_name) or 0):
        thread.update(actions=[attr.set(0)])
