"""Parked events: the events a handler gave up on, held with their error in `gawe.dead-letter`,
listed and replayed by an admin.

- `park(amqp_uri, message, ...)`: a reliable handler (servicekit.reliable_events) that fails on
  an event EVENT_MAX_DELIVERIES times publishes a copy of it (publisher confirms) to the durable
  `gawe.dead-letter` exchange, its headers saying what happened (`x-gawe-*`: the queue and
  handler, the event type, the exception's type and a short redacted message, the deliveries,
  the first and last failure), then acknowledges the original. If that publish fails, the
  handler rejects the message instead and RabbitMQ's `event-queues-dead-letter` policy moves
  it (with its `x-death` header but without the error).
- `list_letters(amqp_uri)`: what waits in `gawe.dead-letter`, oldest first; each letter's id is
  stable (`x-gawe-letter-id`, or a digest for a letter the policy parked). Reading the queue
  takes the messages unacknowledged and gives them back (the connection closes), so nothing
  is removed by listing.
- `replay(amqp_uri, letter_id=None)`: one letter (or all) republished, with confirms, to the
  queue it was parked from (through the default exchange: only that handler gets it again),
  then acknowledged in `gawe.dead-letter`: removed only once the broker accepted the copy.

The payload an admin sees is `redacted_payload`: personal fields (NIK, phone, email, bank
account, names and addresses) hidden by key, and what looks like them in any text.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from kombu import Connection, Exchange, Producer

from servicekit.logs import redact

DEAD_LETTER = "gawe.dead-letter"
PREFIX = "x-gawe-"
MAX_BROWSE = 2000  # a listing reads at most this many parked events
ERROR_CHARS = 300
HIDDEN = "[disamarkan]"
PERSONAL_KEYS = ("nik", "phone", "telepon", "email", "bank", "rekening", "account")
PERSONAL_NAMES = frozenset({"name", "nama", "full_name", "address", "alamat", "contact", "kontak"})


class LetterNotFound(LookupError):
    """No parked event has this id (never parked, or replayed already)."""


class QueueGone(LookupError):
    """The queue a parked event came from no longer exists: replaying would drop it."""


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def error_summary(exc: BaseException | None) -> tuple[str, str]:
    """The exception's type and a short message, without personal data."""
    if exc is None:
        return "", ""
    text = redact(" ".join(str(exc).split()))
    return type(exc).__name__, text[:ERROR_CHARS]


def _connection(amqp_uri: str) -> Connection:
    return Connection(amqp_uri, connect_timeout=5, transport_options={"confirm_publish": True})


def park(
    amqp_uri: str,
    message,
    *,
    queue: str,
    handler: str,
    event_type: str,
    deliveries: int,
    exc: BaseException | None,
    first_failure: str | None = None,
) -> bool:
    """Publish `message` with its error to the dead-letter exchange; True once confirmed."""
    headers = dict(message.headers or {})
    headers.pop("x-delivery-count", None)
    error_type, error = error_summary(exc)
    replays = int(headers.get(f"{PREFIX}replays") or 0)
    headers |= {
        f"{PREFIX}letter-id": uuid.uuid4().hex,
        f"{PREFIX}queue": queue,
        f"{PREFIX}handler": handler,
        f"{PREFIX}event-type": event_type,
        f"{PREFIX}error-type": error_type,
        f"{PREFIX}error": error,
        f"{PREFIX}deliveries": deliveries,
        f"{PREFIX}first-failure": headers.get(f"{PREFIX}first-failure")
        or first_failure
        or now_iso(),
        f"{PREFIX}last-failure": now_iso(),
        f"{PREFIX}replays": replays,
    }
    try:
        with _connection(amqp_uri) as connection:
            producer = Producer(connection.default_channel)
            producer.publish(
                message.body,
                exchange=Exchange(DEAD_LETTER, type="topic", durable=True, no_declare=True),
                routing_key=queue,
                headers=headers,
                content_type=message.content_type,
                content_encoding=message.content_encoding,
                delivery_mode=2,
                retry=False,
            )
        return True
    except Exception:  # noqa: BLE001  (the caller falls back on the broker's policy)
        return False


# --- reading and replaying ------------------------------------------------------------------


def _decode(message):
    try:
        return json.loads(message.body)
    except (TypeError, ValueError):
        return None


def _death(headers: dict) -> dict:
    deaths = headers.get("x-death") or []
    return deaths[0] if deaths else {}


def _iso(value) -> str | None:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="seconds")
    return value or None


def letter_id(message) -> str:
    headers = message.headers or {}
    if found := headers.get(f"{PREFIX}letter-id"):
        return str(found)
    death = _death(headers)
    digest = hashlib.sha256(message.body if isinstance(message.body, bytes) else b"")
    digest.update(str(death.get("queue")).encode() + str(death.get("time")).encode())
    return digest.hexdigest()[:32]


def describe(message) -> dict:
    """What an admin sees of a parked event (the payload comes from `redacted_payload`)."""
    headers = message.headers or {}
    death = _death(headers)
    body = _decode(message)
    queue = headers.get(f"{PREFIX}queue") or death.get("queue")
    event_type = headers.get(f"{PREFIX}event-type") or "{}.{}".format(
        str(death.get("exchange", "")).removesuffix(".events"),
        (death.get("routing-keys") or [""])[0],
    )
    last = _iso(headers.get(f"{PREFIX}last-failure")) or _iso(death.get("time"))
    return {
        "id": letter_id(message),
        "event_id": body.get("event_id") if isinstance(body, dict) else None,
        "event_type": event_type,
        "source_service": event_type.partition(".")[0] or None,
        "queue": queue,
        "handler": headers.get(f"{PREFIX}handler")
        or (queue.removeprefix("evt--") if queue else None),
        "error_type": headers.get(f"{PREFIX}error-type") or None,
        "error": headers.get(f"{PREFIX}error")
        or (f"ditolak ({death.get('reason')})" if death else None),
        "first_failure": _iso(headers.get(f"{PREFIX}first-failure")) or last,
        "last_failure": last,
        "deliveries": headers.get(f"{PREFIX}deliveries") or death.get("count"),
        "replays": int(headers.get(f"{PREFIX}replays") or 0),
    }


def _hide(key: str, value):
    lowered = key.lower()
    if value not in (None, "") and (
        lowered in PERSONAL_NAMES or any(part in lowered for part in PERSONAL_KEYS)
    ):
        return HIDDEN
    return redacted_payload(value)


def redacted_payload(value):
    """The payload with personal fields hidden by key and personal-looking text redacted."""
    if isinstance(value, dict):
        return {k: _hide(str(k), v) for k, v in value.items()}
    if isinstance(value, list):
        return [redacted_payload(v) for v in value]
    if isinstance(value, str):
        return redact(value)
    return value


@contextmanager
def _browsing(amqp_uri: str) -> Iterator[tuple]:
    """The parked messages, taken unacknowledged; whatever is not acked goes back on close."""
    with _connection(amqp_uri) as connection:
        channel = connection.channel()
        taken = []
        while len(taken) < MAX_BROWSE:
            raw = channel.basic_get(DEAD_LETTER, no_ack=False)
            if raw is None:
                break
            taken.append(channel.message_to_python(raw))
        yield connection, channel, taken


def list_letters(amqp_uri: str, page: int = 1, per_page: int = 20) -> dict:
    """A page of parked events, oldest failure first, each with its redacted payload."""
    with _browsing(amqp_uri) as (_, _, taken):
        letters = [describe(m) | {"payload": redacted_payload(_decode(m))} for m in taken]
    letters.sort(key=lambda item: (item["last_failure"] or "", item["id"]))
    start = (page - 1) * per_page
    return {
        "items": letters[start : start + per_page],
        "total": len(letters),
        "page": page,
        "per_page": per_page,
    }


def replay(amqp_uri: str, letter: str | None = None) -> list[str]:
    """Republish one parked event (`letter`) or all of them to the queues they came from;
    each leaves the dead-letter queue once the broker confirmed its copy. The ids replayed."""
    done = []
    with _browsing(amqp_uri) as (connection, channel, taken):
        chosen = [m for m in taken if letter is None or letter_id(m) == letter]
        if letter is not None and not chosen:
            raise LetterNotFound(letter)
        producer = Producer(connection.channel())
        for message in chosen:
            about = describe(message)
            queue = about["queue"]
            try:
                connection.channel().queue_declare(queue=queue, passive=True)
            except Exception:  # noqa: BLE001  (amqp's NotFound closes that channel only)
                if letter is not None:
                    raise QueueGone(queue) from None
                continue
            headers = {
                k: v
                for k, v in (message.headers or {}).items()
                if not k.startswith(("x-death", "x-first-death", "x-last-death"))
            }
            headers[f"{PREFIX}replays"] = int(headers.get(f"{PREFIX}replays") or 0) + 1
            headers.setdefault(f"{PREFIX}first-failure", about["first_failure"])
            producer.publish(
                message.body,
                exchange="",
                routing_key=queue,
                headers=headers,
                content_type=message.content_type,
                content_encoding=message.content_encoding,
                delivery_mode=2,
                retry=False,
            )
            message.ack()
            done.append(about["id"])
    return done
