"""gawe_verify: checks, without trusting the server, that a Gawe site's public trails and daily
digests hold (docs/transparency.md in the Gawe repository): `python -m gawe_verify <base-url>`.

Standard library plus `cryptography` (Ed25519); it imports nothing of the platform.
"""

__version__ = "0.1.0"
