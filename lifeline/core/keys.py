"""Every key a deployment needs, as lines of its environment file (``lifeline keys``).

Run without Django settings: ``python -m lifeline.core.keys`` prints SECRET_KEY,
LIFELINE_ENCRYPTION_KEYS, LIFELINE_INDEX_KEY and the VAPID key pair for Web Push.
``--encryption-key`` prints one new Fernet key only (for a rotation). Keys are
printed, never written anywhere else: the environment file is the one place
they live, and the operators' guide says how to keep a copy offline.
"""

import argparse
import base64
import secrets

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def encryption_key():
    return Fernet.generate_key().decode()


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def vapid_pair():
    """A VAPID key pair for Web Push (P-256), base64url: the raw 32-byte private value and the
    uncompressed public point, as browsers' push services expect."""
    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_numbers().private_value.to_bytes(32, "big")
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return {"private_key": b64url(private), "public_key": b64url(public)}


def all_keys():
    vapid = vapid_pair()
    return {
        "SECRET_KEY": secrets.token_urlsafe(60),
        "LIFELINE_ENCRYPTION_KEYS": encryption_key(),
        "LIFELINE_INDEX_KEY": secrets.token_urlsafe(48),
        "VAPID_PRIVATE_KEY": vapid["private_key"],
        "VAPID_PUBLIC_KEY": vapid["public_key"],
    }


def main(argv=None):
    parser = argparse.ArgumentParser(prog="lifeline keys", description=__doc__.split("\n\n")[0])
    parser.add_argument("--encryption-key", action="store_true", help="print one new encryption key only")
    args = parser.parse_args(argv)
    if args.encryption_key:
        print(encryption_key())
        return
    for name, value in all_keys().items():
        print(f"{name}={value}")


if __name__ == "__main__":
    main()
