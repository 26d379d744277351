"""Secrets that stand for a person (API tokens, calendar feed addresses), made and kept one way.

A secret is 256 random bits. What is stored is its SHA-256: for a secret that random a fast hash
is as good as a slow one (nothing to guess from a dictionary), and it lets the secret be looked
up through a unique index instead of compared against every row. The lookup is an equality on
the digest of what was presented, so its timing tells nothing about any stored secret.
"""

from __future__ import annotations

import hashlib
import secrets


def new_secret(prefix: str) -> str:
    """A fresh secret, starting with `prefix` (which makes it recognisable in logs and to
    secret scanners)."""
    return prefix + secrets.token_urlsafe(32)


def digest_of(secret: str) -> str:
    """What is stored of a secret: its SHA-256, in hex."""
    return hashlib.sha256(secret.encode()).hexdigest()
