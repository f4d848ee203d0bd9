"""Parked events planted on the bus as a handler parks them (servicekit.dead_letters), for the
tests that need one to exist without a failing handler (the authorisation matrix)."""

from __future__ import annotations

import json
import uuid

from kombu import Connection, Exchange, Producer, Queue

from servicekit.dead_letters import DEAD_LETTER, PREFIX, now_iso

MATRIX_QUEUE = "evt--matriks.uji"


def plant(amqp_uri: str, letter_id: str, queue: str = MATRIX_QUEUE) -> str:
    """A parked event of id `letter_id` from `queue` (declared, so that a replay reaches it)."""
    event = {"event_id": str(uuid.uuid4()), "public_id": f"SRG-UJI-{letter_id}"}
    with Connection(amqp_uri, transport_options={"confirm_publish": True}) as connection:
        channel = connection.default_channel
        Queue(queue, durable=True, queue_arguments={"x-queue-type": "quorum"})(channel).declare()
        Producer(channel).publish(
            json.dumps(event, default=str),
            exchange=Exchange(DEAD_LETTER, type="topic", durable=True, no_declare=True),
            routing_key=queue,
            content_type="application/json",
            content_encoding="utf-8",
            delivery_mode=2,
            headers={
                f"{PREFIX}letter-id": letter_id,
                f"{PREFIX}queue": queue,
                f"{PREFIX}handler": queue.removeprefix("evt--"),
                f"{PREFIX}event-type": "complaints.report_created",
                f"{PREFIX}error-type": "ValueError",
                f"{PREFIX}error": "uji matriks",
                f"{PREFIX}deliveries": 3,
                f"{PREFIX}first-failure": now_iso(),
                f"{PREFIX}last-failure": now_iso(),
            },
        )
    return letter_id


def plant_for_matrix(builder) -> None:
    """One parked event for the API's replay and one for /admin's (each admin cell replays its
    own; replaying all runs last)."""
    amqp_uri = builder.app.config["GAWE"].amqp_uri
    builder.values["dead_letter"] = plant(amqp_uri, "matriks-api")
    builder.values["dead_letter_page"] = plant(amqp_uri, "matriks-halaman")
