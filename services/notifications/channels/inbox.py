"""The in-app inbox: delivering is writing the message into the user's inbox (once per notification)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.exc import SQLAlchemyError

from services.notifications import store
from services.notifications.channels import Channel, Outgoing
from services.notifications.delivery import TransientFailure


def _message(user_id, notification_id, event_type, category, subject, body, now) -> dict:
    return {
        "user_id": user_id,
        "notification_id": notification_id,
        "event_type": event_type,
        "category": category,
        "subject": subject or "Pemberitahuan",
        "body": body,
        "created_at": now,
    }


class InboxChannel(Channel):
    """Writes into this service's own database: delivered in the very transaction that creates
    the notification rows (exactly once, no claim needed); `deliver` serves retries."""

    name = "inbox"
    in_transaction = True

    def __init__(self, session_factory):
        self.session_factory = session_factory

    def address_of(self, contact: dict) -> str | None:
        return f"pengguna:{contact['user_id']}"

    def deliver(self, message: Outgoing) -> str:
        try:
            with self.session_factory() as session:
                m = message
                store.insert_inbox_messages(
                    session,
                    [
                        _message(
                            m.user_id,
                            m.notification_id,
                            m.event_type,
                            m.category,
                            m.subject,
                            m.text,
                            datetime.now(UTC),
                        )
                    ],
                )
                session.commit()
        except SQLAlchemyError as exc:
            raise TransientFailure(
                f"kotak masuk tidak dapat ditulis: {exc.__class__.__name__}"
            ) from exc
        return self.reference(message.notification_id)

    def deliver_in(self, session, notifications: list[dict], now: datetime) -> dict[int, str]:
        store.insert_inbox_messages(
            session,
            [
                _message(
                    n["user_id"],
                    n["id"],
                    n["event_type"],
                    n["category"],
                    n["subject"],
                    n["body_text"],
                    now,
                )
                for n in notifications
            ],
        )
        return {n["id"]: self.reference(n["id"]) for n in notifications}

    @staticmethod
    def reference(notification_id: int) -> str:
        return f"kotak-masuk:{notification_id}"
