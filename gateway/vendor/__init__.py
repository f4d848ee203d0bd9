"""Third-party browser libraries served by the gateway itself (no CDN, no npm step)."""
