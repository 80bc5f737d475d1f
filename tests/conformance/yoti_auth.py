"""Yoti request signing for schemathesis: every request it sends is signed like an official SDK.

Loaded by schemathesis as a hook module (``SCHEMATHESIS_HOOKS=yoti_auth``, see run.sh). It
registers a ``requests`` auth object, which runs after ``requests`` has prepared the request, so
the digest covers the exact URL and body bytes that go on the wire:

1. append ``sdkId`` (unless the query has one), a fresh ``nonce`` and ``timestamp`` to the query;
2. sign ``METHOD&PATH?QUERY`` (the path relative to the API base URL), followed by ``&`` and the
   standard base64 of the body when there is one, with RSA PKCS#1 v1.5 over SHA-256;
3. send the base64 signature in ``X-Yoti-Auth-Digest``.

Settings come from the environment: ``IDV_BASE_URL`` (the API base URL requests go to),
``IDV_SDK_ID`` and ``IDV_KEY_FILE`` (a PEM private key).

Run as a script, it prints what it signs for one request, in the format of
``cargo run -p idv-signing --example sign`` (test_yoti_auth.py compares the two):

    python yoti_auth.py --key K --sdk-id S --method M --url U --base-url B \
        [--body-file F] [--nonce N] [--timestamp T]
"""

import argparse
import base64
import os
import sys
import time
import uuid
from urllib.parse import urlsplit, urlunsplit, parse_qsl

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

DIGEST_HEADER = "X-Yoti-Auth-Digest"


def load_key(path):
    """The private key in the PEM file at ``path``."""
    with open(path, "rb") as pem:
        return serialization.load_pem_private_key(pem.read(), password=None)


def sign(key, sdk_id, base_url, method, url, body, nonce=None, timestamp=None):
    """Signs one request. Returns ``(message, signed_url, digest)``.

    ``body`` is the exact body bytes, or None. ``nonce`` defaults to a fresh UUID v4 and
    ``timestamp`` to the current Unix time in seconds.
    """
    nonce = nonce if nonce is not None else str(uuid.uuid4())
    timestamp = timestamp if timestamp is not None else int(time.time())
    parts = urlsplit(url)
    base_path = urlsplit(base_url).path.rstrip("/")
    if not (parts.path == base_path or parts.path.startswith(base_path + "/")):
        raise ValueError(f"{url} is not under the base URL {base_url}")
    relative = parts.path[len(base_path):]
    added = []
    if not any(name == "sdkId" for name, _ in parse_qsl(parts.query, keep_blank_values=True)):
        added.append(f"sdkId={sdk_id}")
    added += [f"nonce={nonce}", f"timestamp={timestamp}"]
    query = "&".join(([parts.query] if parts.query else []) + added)
    message = f"{method}&{relative}?{query}"
    if body:
        message += "&" + base64.b64encode(body).decode("ascii")
    signature = key.sign(message.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
    digest = base64.b64encode(signature).decode("ascii")
    signed_url = urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))
    return message, signed_url, digest


def body_bytes(body):
    """The bytes of a prepared request's body (``requests`` may hold str or bytes)."""
    if body is None:
        return None
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    raise TypeError(f"cannot sign a streamed body ({type(body).__name__})")


try:  # Only the hook needs requests and schemathesis; the script runs without them.
    import requests

    class YotiAuth(requests.auth.AuthBase):
        """Signs a prepared request in place."""

        def __init__(self, key, sdk_id, base_url):
            self.key, self.sdk_id, self.base_url = key, sdk_id, base_url

        def __call__(self, request):
            _, request.url, digest = sign(
                self.key,
                self.sdk_id,
                self.base_url,
                request.method,
                request.url,
                body_bytes(request.body),
            )
            request.headers[DIGEST_HEADER] = digest
            return request

except ImportError:  # pragma: no cover
    requests = None


def register():
    """Registers the signer with schemathesis, from the environment's settings."""
    import schemathesis

    settings = {name: os.environ.get(name) for name in ("IDV_BASE_URL", "IDV_SDK_ID", "IDV_KEY_FILE")}
    missing = [name for name, value in settings.items() if not value]
    if missing:
        raise RuntimeError(f"yoti_auth: set {', '.join(missing)}")
    auth = YotiAuth(load_key(settings["IDV_KEY_FILE"]), settings["IDV_SDK_ID"], settings["IDV_BASE_URL"])
    schemathesis.auth.set_from_requests(auth)


def main(argv):
    parser = argparse.ArgumentParser(description="Print what is signed for one request.")
    for flag in ("--key", "--sdk-id", "--method", "--url", "--base-url"):
        parser.add_argument(flag, required=True)
    parser.add_argument("--body-file")
    parser.add_argument("--nonce")
    parser.add_argument("--timestamp", type=int)
    args = parser.parse_args(argv)
    body = None
    if args.body_file:
        with open(args.body_file, "rb") as f:
            body = f.read()
    message, url, digest = sign(
        load_key(args.key), args.sdk_id, args.base_url, args.method, args.url, body, args.nonce, args.timestamp
    )
    print(f"message: {message}\nurl: {url}\ndigest: {digest}")


if __name__ == "__main__":
    main(sys.argv[1:])
elif os.environ.get("SCHEMATHESIS_HOOKS", "").split(".")[-1] == "yoti_auth":
    register()
