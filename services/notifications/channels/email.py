"""Email: a MIME message (text/plain + text/html, Message-ID from the notification id), sent by
SMTP through a small pool of reused connections, or written as a .eml file when no SMTP
server is configured (`make run` without SMTP_HOST: read them in var/outbox/).
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import re
import smtplib
import ssl
import threading
import time
from email.charset import QP, Charset
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import formatdate, parseaddr
from pathlib import Path

from services.notifications.channels import Channel, Outgoing
from services.notifications.delivery import DeliveryFailure, PermanentFailure, TransientFailure

log = logging.getLogger(__name__)

_UNSAFE_ID = re.compile(r"[^A-Za-z0-9.-]")
Mime = MIMEMultipart | MIMEText
_WIRE = compat32.clone(linesep="\r\n")  # smtplib does not fix the line ends of bytes
_UTF8 = Charset("utf-8")
_UTF8.body_encoding = QP


def message_id(notification_id: int, event_id: str, domain: str) -> str:
    """Stable per notification: a resend after an unknown outcome carries the same id."""
    return f"<notifikasi.{notification_id}.{_UNSAFE_ID.sub('', event_id)[:64]}@{domain}>"


def build_message(message: Outgoing, sender: str, domain: str) -> Mime:
    """text/plain (+ text/html as an alternative), UTF-8, quoted-printable.

    Built with the compat32 MIME classes: the same bytes on the wire as `EmailMessage`, at a
    fraction of the CPU (the policy-based header parsing dominated the sending path).
    """
    plain = MIMEText(message.text, "plain", _UTF8)
    if message.html:
        email = MIMEMultipart("alternative")
        email.attach(plain)
        email.attach(
            MIMEText(
                '<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"></head>'
                f"<body>{message.html}</body></html>",
                "html",
                _UTF8,
            )
        )
    else:
        email = plain
    subject = message.subject or "Pemberitahuan dari Gawe Kabupaten Serang"
    email["Subject"] = Header(subject, "utf-8").encode() if not subject.isascii() else subject
    email["From"] = sender
    email["To"] = message.address
    email["Date"] = formatdate(usegmt=True)
    email["Message-ID"] = message_id(message.notification_id, message.event_id, domain)
    email["Auto-Submitted"] = "auto-generated"
    return email


def classify(exc: Exception) -> DeliveryFailure:
    """4xx replies, timeouts and refused or dropped connections may pass later; 5xx will not."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        reason = "; ".join(
            f"{code} {msg.decode(errors='replace')}" for code, msg in exc.recipients.values()
        )
        if any(500 <= code < 600 for code in codes):
            return PermanentFailure(f"penerima ditolak: {reason}")
        return TransientFailure(f"penerima ditolak sementara: {reason}")
    if isinstance(exc, smtplib.SMTPResponseException):
        error = exc.smtp_error
        text = error.decode(errors="replace") if isinstance(error, bytes) else str(error)
        reason = f"SMTP {exc.smtp_code} {text}".strip()
        if 500 <= exc.smtp_code < 600:
            return PermanentFailure(reason)
        return TransientFailure(reason)
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return TransientFailure(f"koneksi SMTP terputus: {exc}")
    if isinstance(exc, OSError):  # refused, reset, unreachable, timeout
        return TransientFailure(
            f"server SMTP tidak dapat dihubungi: {exc.__class__.__name__} {exc}"
        )
    return TransientFailure(f"kesalahan SMTP: {exc.__class__.__name__} {exc}")


class SmtpTransport:
    """Sends over SMTP on at most `pool_size` connections, kept open and reused (each used by one
    send at a time). A send waits for a free connection rather than opening one more: no churn
    of connections under load, and the server never sees more than `pool_size` from us."""

    def __init__(
        self,
        host: str,
        port: int,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        timeout: float = 10.0,
        helo_name: str = "localhost",
        pool_size: int = 8,
        idle_seconds: float = 30.0,
    ):
        self.host, self.port = host, port
        self.username, self.password = username, password
        self.starttls, self.timeout, self.helo_name = starttls, timeout, helo_name
        self.idle_seconds = idle_seconds
        self._idle: queue.LifoQueue = queue.LifoQueue(maxsize=pool_size)
        self._slots = threading.BoundedSemaphore(pool_size)

    def _connect(self) -> smtplib.SMTP:
        conn = smtplib.SMTP(
            self.host, self.port, timeout=self.timeout, local_hostname=self.helo_name
        )
        try:
            if self.starttls:
                conn.starttls(context=ssl.create_default_context())
                conn.ehlo()
            if self.username:
                conn.login(self.username, self.password or "")
        except Exception:
            conn.close()
            raise
        return conn

    def _checkout(self) -> smtplib.SMTP:
        while True:
            try:
                conn, last_used = self._idle.get_nowait()
            except queue.Empty:
                return self._connect()
            if time.monotonic() - last_used < self.idle_seconds:
                return conn
            self._discard(conn)

    def _discard(self, conn: smtplib.SMTP) -> None:
        with contextlib.suppress(OSError):
            conn.close()

    def send(self, email: Mime, sender: str, recipients: list[str], key: str) -> None:
        data = email.as_bytes(policy=_WIRE)
        if not self._slots.acquire(timeout=self.timeout):
            raise TransientFailure("semua koneksi SMTP sedang dipakai terlalu lama")
        try:
            self._send(data, sender, recipients)
        finally:
            self._slots.release()

    def _send(self, data: bytes, sender: str, recipients: list[str]) -> None:
        try:
            conn = self._checkout()
        except Exception as exc:
            raise classify(exc) from exc
        try:
            conn.sendmail(sender, recipients, data)
        except Exception as exc:
            # smtplib resets after a refused command, but a half-sent session is not worth keeping
            self._discard(conn)
            raise classify(exc) from exc
        try:
            self._idle.put_nowait((conn, time.monotonic()))
        except queue.Full:
            self._discard(conn)

    def close(self) -> None:
        while True:
            try:
                conn, _ = self._idle.get_nowait()
            except queue.Empty:
                return
            try:
                conn.quit()
            except (OSError, smtplib.SMTPException):
                self._discard(conn)


class FileTransport:
    """Writes each email to `<directory>/<key>.eml` (atomically; a resend overwrites it)."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def send(self, email: Mime, sender: str, recipients: list[str], key: str) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            target = self.directory / f"{key}.eml"
            partial = target.with_suffix(".eml.tmp")
            partial.write_bytes(email.as_bytes())
            os.replace(partial, target)
        except OSError as exc:
            raise TransientFailure(f"berkas email tidak dapat ditulis: {exc}") from exc

    def close(self) -> None:
        pass


class EmailChannel(Channel):
    name = "email"
    wants_html = True

    def __init__(self, transport: SmtpTransport | FileTransport, sender: str):
        self.transport = transport
        self.sender = sender
        self.sender_address = parseaddr(sender)[1]
        self.domain = self.sender_address.rpartition("@")[2] or "localhost"

    def address_of(self, contact: dict) -> str | None:
        return contact.get("email") or None

    def deliver(self, message: Outgoing) -> str:
        email = build_message(message, self.sender, self.domain)
        key = f"{message.created_at:%Y%m%d-%H%M%S}-notifikasi-{message.notification_id}"
        self.transport.send(email, self.sender_address, [message.address], key)
        return email["Message-ID"]

    def close(self) -> None:
        self.transport.close()
