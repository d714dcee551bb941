"""The Ed25519 key that signs audit checkpoints (editorial/audit/checkpoints.py).

`AUDIT_SIGNING_KEY` holds the private key, kept outside the database like
`SECRET_KEY`: base64 of its 32 raw bytes, or PEM (PKCS#8, as
`openssl genpkey -algorithm ed25519` writes). Without it, development uses
`DEV_AUDIT_SIGNING_KEY`, a fixed key published here, so checkpoints made in
development still verify after a restart and prove nothing; production
refuses to start with it or without a key.
"""

import base64
import binascii

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ImproperlyConfigured

# base64 of b"vetted-DEVELOPMENT-ONLY-auditkey": public, for development and tests only.
DEV_AUDIT_SIGNING_KEY = "dmV0dGVkLURFVkVMT1BNRU5ULU9OTFktYXVkaXRrZXk="

GENERATE_HINT = (
    'python3 -c "import base64, os; print(base64.b64encode(os.urandom(32)).decode())", '
    "or the PEM of `openssl genpkey -algorithm ed25519`"
)


def load_private_key(text: str) -> Ed25519PrivateKey:
    """The key from the setting's text; ImproperlyConfigured when it is not an Ed25519 private key."""
    text = (text or "").strip()
    if not text:
        raise ImproperlyConfigured(f"AUDIT_SIGNING_KEY is empty. Generate one: {GENERATE_HINT}.")
    if text.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_private_key(text.replace("\\n", "\n").encode(), password=None)
        except (ValueError, TypeError) as exc:
            raise ImproperlyConfigured(f"AUDIT_SIGNING_KEY is not a readable PEM private key: {exc}") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise ImproperlyConfigured("AUDIT_SIGNING_KEY must be an Ed25519 key.")
        return key
    try:
        raw = base64.b64decode(text, validate=True)
    except binascii.Error:
        raise ImproperlyConfigured("AUDIT_SIGNING_KEY is neither PEM nor base64.") from None
    if len(raw) != 32:
        raise ImproperlyConfigured(f"AUDIT_SIGNING_KEY must be 32 bytes in base64, not {len(raw)}.")
    return Ed25519PrivateKey.from_private_bytes(raw)


def is_development_key(key: Ed25519PrivateKey) -> bool:
    public = serialization.Encoding.Raw, serialization.PublicFormat.Raw
    development = load_private_key(DEV_AUDIT_SIGNING_KEY).public_key().public_bytes(*public)
    return key.public_key().public_bytes(*public) == development
