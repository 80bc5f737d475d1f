"""The schemathesis auth hook signs exactly as idv-signing does.

Compares the hook's output with `cargo run -p idv-signing --example sign` for the same key,
SDK id, nonce, timestamp, method, URL and body: the signed message, the URL and the digest
must be byte-identical (RSA PKCS#1 v1.5 is deterministic). Run from the repository root:

    python -m unittest discover -s tests/conformance -p 'test_*.py'
"""

import base64
import os
import subprocess
import tempfile
import unittest

import yoti_auth

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
KEY = os.path.join(ROOT, "idv-signing", "tests", "data", "test-rsa2048-pkcs1.pem")
SDK_ID = "7f2a6c1e-5b3d-4e8f-9a0b-1c2d3e4f5a6b"
NONCE = "5bb4a8a0-1c5e-4d8e-9f3c-2b1a0c9d8e7f"
TIMESTAMP = 1764470000

CASES = [
    # (base URL, method, URL, body)
    ("http://127.0.0.1:8080/idverify/v1", "GET", "http://127.0.0.1:8080/idverify/v1/sessions/abc", None),
    (
        "http://127.0.0.1:8080/sandbox/idverify/v1",
        "GET",
        "http://127.0.0.1:8080/sandbox/idverify/v1/supported-documents?includeNonLatin=true",
        None,
    ),
    (
        "http://127.0.0.1:8080/sandbox/idverify/v1",
        "POST",
        "http://127.0.0.1:8080/sandbox/idverify/v1/sessions",
        b'{"client_session_token_ttl": 900, "user_tracking_id": "\xc3\xa9t\xc3\xa9"}',
    ),
    (
        "http://127.0.0.1:8080/sandbox/idverify/v1",
        "PUT",
        "http://127.0.0.1:8080/sandbox/idverify/v1/sessions/a%20b/response-config?x=%2F&y",
        b"\x00\xff not JSON at all",
    ),
    # An empty body is signed as no body.
    ("http://127.0.0.1:8080/idverify/v1", "DELETE", "http://127.0.0.1:8080/idverify/v1/sessions/abc", b""),
]


def rust_sign(base_url, method, url, body):
    args = ["cargo", "run", "-q", "-p", "idv-signing", "--example", "sign", "--"]
    args += ["--key", KEY, "--sdk-id", SDK_ID, "--method", method, "--url", url, "--base-url", base_url]
    args += ["--nonce", NONCE, "--timestamp", str(TIMESTAMP)]
    with tempfile.NamedTemporaryFile() as body_file:
        if body is not None:
            body_file.write(body)
            body_file.flush()
            args += ["--body-file", body_file.name]
        out = subprocess.run(args, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    lines = dict(line.split(": ", 1) for line in out.splitlines())
    return lines["message"], lines["url"], lines["digest"]


class SignsLikeIdvSigning(unittest.TestCase):
    def test_each_case_is_byte_identical(self):
        key = yoti_auth.load_key(KEY)
        for base_url, method, url, body in CASES:
            with self.subTest(method=method, url=url):
                ours = yoti_auth.sign(key, SDK_ID, base_url, method, url, body, NONCE, TIMESTAMP)
                self.assertEqual(ours, rust_sign(base_url, method, url, body))

    def test_the_requests_hook_signs_the_prepared_bytes(self):
        import requests

        key = yoti_auth.load_key(KEY)
        base_url = "http://127.0.0.1:8080/sandbox/idverify/v1"
        request = requests.Request(
            "POST", base_url + "/sessions", data=b'{"a": 1}', headers={"Content-Type": "application/json"}
        ).prepare()
        signed = yoti_auth.YotiAuth(key, SDK_ID, base_url)(request)
        message = yoti_auth.sign(key, SDK_ID, base_url, "POST", base_url + "/sessions", b'{"a": 1}', "n", 1)[0]
        self.assertTrue(message.startswith("POST&/sessions?sdkId=" + SDK_ID + "&nonce=n&timestamp=1&"))
        self.assertIn("sdkId=" + SDK_ID + "&nonce=", signed.url)
        # The digest verifies over what the hook put on the wire.
        query = signed.url.split("?", 1)[1]
        wire = "POST&/sessions?" + query + "&eyJhIjogMX0="
        key.public_key().verify(
            base64.b64decode(signed.headers["X-Yoti-Auth-Digest"]),
            wire.encode(),
            yoti_auth.padding.PKCS1v15(),
            yoti_auth.hashes.SHA256(),
        )

    def test_a_url_outside_the_base_is_refused(self):
        key = yoti_auth.load_key(KEY)
        with self.assertRaises(ValueError):
            yoti_auth.sign(key, SDK_ID, "http://h/idverify/v1", "GET", "http://h/other/sessions", None)


if __name__ == "__main__":
    unittest.main()
