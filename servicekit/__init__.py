"""The small shared kit every Gawe service uses.

Configuration from the environment, the per-worker database session, typed errors
that cross RPC, request context (correlation id and acting user), JSON logging,
the event catalogue and the transactional outbox. Nothing domain-specific lives here.
"""

__version__ = "0.1.0"
