"""Keyed hashes of a subject's identifiers: normalised first, so formatting cannot evade a match.

The hash is HMAC-SHA256 with the scan key (``orchestration.lib.secrets``), which lives outside the
warehouse: without the key, a hash cannot be tested against guessed e-mail addresses or phone
numbers, so the stored value is pseudonymous (Art. 4(5) GDPR), not a clear identifier. The kind
of identifier is part of the hashed message, so an id can never collide with an e-mail.
"""

from __future__ import annotations

import hashlib
import hmac
import re

#: Kinds of identifier on the suppression list.
SUBJECT_ID = "subject_id"
EMAIL = "email"
PHONE = "phone"
IDENTIFIER_KINDS = (SUBJECT_ID, EMAIL, PHONE)

#: Country code for national numbers (``0172 …``): the CRM is German, and stores +49 numbers.
DEFAULT_COUNTRY_CODE = "49"
_NON_DIGITS = re.compile(r"\D")


def normalise_email(value: str | None) -> str | None:
    """Trimmed and lower-cased (domains are case-insensitive; local parts are in practice)."""
    if value is None:
        return None
    text = value.strip().lower()
    return text or None


def normalise_phone(value: str | None, country_code: str = DEFAULT_COUNTRY_CODE) -> str | None:
    """Digits with the country code, as the CRM stores it (``+49 172 …`` → ``49172…``).

    ``+`` and ``00`` introduce the country code; a single leading ``0`` is a national number of
    ``country_code``. Spaces, dashes, dots, slashes and brackets are dropped.
    """
    if value is None:
        return None
    text = value.strip()
    international = text.startswith("+")
    digits = _NON_DIGITS.sub("", text)
    if not digits:
        return None
    if international:
        return digits
    if digits.startswith("00"):
        return digits[2:] or None
    if digits.startswith("0"):
        return country_code + digits[1:]
    return digits


def subject_key(subject_type: str, subject_id: str) -> str:
    """``customer:C0000001``: the id together with its kind of subject (ids repeat across kinds)."""
    return f"{subject_type}:{subject_id.strip()}"


def keyed_digest(key: bytes, identifier_kind: str, normalised: str) -> bytes:
    """HMAC-SHA256 (raw bytes) of ``<kind>:<normalised value>`` (one-shot, for bulk checks)."""
    return hmac.digest(key, f"{identifier_kind}:{normalised}".encode(), hashlib.sha256)


def keyed_hash(key: bytes, identifier_kind: str, normalised: str) -> str:
    """HMAC-SHA256 (hex) of ``<kind>:<normalised value>``: the form stored on the list."""
    return keyed_digest(key, identifier_kind, normalised).hex()


def normalise(identifier_kind: str, value: str | None) -> str | None:
    """The value as hashed (None for an empty one).

    ``subject_id`` values are expected as ``subject_type:subject_id`` (``subject_key``).
    """
    if identifier_kind == EMAIL:
        return normalise_email(value)
    if identifier_kind == PHONE:
        return normalise_phone(value)
    if identifier_kind == SUBJECT_ID:
        return value.strip() or None if value else None
    raise ValueError(f"unknown identifier kind {identifier_kind!r}")


def hash_identifier(key: bytes, identifier_kind: str, value: str | None) -> str | None:
    """The keyed hash (hex) of one raw value of ``identifier_kind`` (None for an empty value)."""
    normalised = normalise(identifier_kind, value)
    return keyed_hash(key, identifier_kind, normalised) if normalised else None


def digest_identifier(key: bytes, identifier_kind: str, value: str | None) -> bytes | None:
    """As ``hash_identifier``, as raw bytes (compared against ``bytes.fromhex`` of the list)."""
    normalised = normalise(identifier_kind, value)
    return keyed_digest(key, identifier_kind, normalised) if normalised else None
