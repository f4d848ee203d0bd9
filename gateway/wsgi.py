"""WSGI entry point for gunicorn: `gunicorn -c deploy/gunicorn.conf.py gateway.wsgi:app`."""

from gateway import create_app
from servicekit.logs import configure_logging

configure_logging(batched=True)  # a line per request, written in batches
app = create_app()
