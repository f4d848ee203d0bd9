"""The in-app inbox: delivering is writing the message into the user's inbox (once per notification)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.exc import SQLAlchemyError

from services.notifications import store
from services.notifications.channels import Channel, Outgoing
from services.notifications.delivery import TransientFailure


class InboxChannel(Channel):
    name = "inbox"

    def __init__(self, session_factory):
        self.session_factory = session_factory

    def address_of(self, contact: dict) -> str | None:
        return f"pengguna:{contact['user_id']}"

    def deliver(self, message: Outgoing) -> str:
        try:
            with self.session_factory() as session:
                store.insert_inbox_message(
                    session,
                    {
                        "user_id": message.user_id,
                        "notification_id": message.notification_id,
                        "event_type": message.event_type,
                        "category": message.category,
                        "subject": message.subject or "Pemberitahuan",
                        "body": message.text,
                        "created_at": datetime.now(UTC),
                    },
                )
                session.commit()
        except SQLAlchemyError as exc:
            raise TransientFailure(
                f"kotak masuk tidak dapat ditulis: {exc.__class__.__name__}"
            ) from exc
        return f"kotak-masuk:{message.notification_id}"
