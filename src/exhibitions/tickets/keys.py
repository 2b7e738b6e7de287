"""Per-exhibition Ed25519 signing keys, sealed at rest.

A private key is stored encrypted (AES-256-GCM) under a key derived from
``EXHIBITIONS_SECRET_KEY``: a copy of the database alone cannot forge tickets. Pure
functions; the tables and services decide when to make and retire keys.
"""

from __future__ import annotations

import base64
import os
from functools import lru_cache

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_INFO = b"exhibitions ticket signing keys v1"


def _wrapping_key(secret_key: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret_key.encode("utf-8"))


def new_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def public_hex(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def public_key_from_hex(value: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(bytes.fromhex(value))


def seal(key: Ed25519PrivateKey, secret_key: str, *, context: bytes) -> str:
    """Encrypt a private key; ``context`` (the exhibition and key id) is authenticated too,
    so a sealed key copied onto another exhibition's row does not open."""
    raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    nonce = os.urandom(12)
    return base64.b64encode(nonce + AESGCM(_wrapping_key(secret_key)).encrypt(nonce, raw, context)).decode("ascii")


@lru_cache(maxsize=256)
def unseal(sealed: str, secret_key: str, *, context: bytes) -> Ed25519PrivateKey:
    """Decrypt a sealed key. Cached: a (sealed key, context) pair never changes, and every
    registration and ticket view needs its exhibition's key."""
    blob = base64.b64decode(sealed)
    raw = AESGCM(_wrapping_key(secret_key)).decrypt(blob[:12], blob[12:], context)
    return Ed25519PrivateKey.from_private_bytes(raw)


def key_context(exhibition_id: int, key_id: int) -> bytes:
    return f"exhibition:{exhibition_id}:key:{key_id}".encode()
