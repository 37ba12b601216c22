"""The secret key of the keyed text hash that lets re-scans skip unchanged notes.

A plain hash of a short note can be reversed by guessing ("hat Diabetes"); an HMAC with a secret
cannot without the key. The key comes from ``CRM_SCAN_HMAC_KEY`` (hex) or, when unset, from
``$CRM_DATA_DIR/secrets/scan_hmac.key``, created once with 32 random bytes and mode 0600.
Changing the key only costs one full re-scan.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from orchestration.lib import settings

KEY_BYTES = 32


def scan_hmac_key(key_file: Path | None = None) -> bytes:
    configured = os.environ.get("CRM_SCAN_HMAC_KEY", "").strip()
    if configured:
        try:
            key = bytes.fromhex(configured)
        except ValueError as exc:
            raise ValueError("CRM_SCAN_HMAC_KEY must be hex (e.g. 64 hex digits)") from exc
        if len(key) < 16:
            raise ValueError("CRM_SCAN_HMAC_KEY must be at least 16 bytes (32 hex digits)")
        return key
    key_file = key_file or settings.data_dir() / "secrets" / "scan_hmac.key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(KEY_BYTES))
    return bytes.fromhex(key_file.read_text().strip())
