"""The official Python SDK against the installed emulator: through its control plane, and
with a key pair of the test's own.

The emulator's HTTP control plane (`/__emulator/...`) is for teams outside Rust: this test
resets the emulator, injects a 503 on `getSession`, sees the official `yoti` SDK fail, clears
the fault, sees it succeed, and finds both attempts in the request journal. `run.sh control`
installs the emulator with `cargo install`, starts it and runs this with:

    IDV_EMULATOR_URL   the emulator's root, e.g. http://127.0.0.1:8080
    IDV_SANDBOX_URL    its sandbox base URL
    IDV_SDK_ID         its SDK id
    IDV_KEY_FILE       the PEM key file to sign with
    IDV_EMULATOR_BIN   the installed binary, which the second test starts itself with a key
                       pair and SDK id of its own (`--public-key`, `--sdk-id`)
"""

import json
import os
import subprocess
import tempfile
import unittest
import urllib.parse
import urllib.request

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from yoti_python_sdk.doc_scan import (
    DocScanClient,
    RequestedDocumentAuthenticityCheckBuilder,
    SessionSpecBuilder,
)
from yoti_python_sdk.doc_scan.exception import DocScanException

ROOT = os.environ["IDV_EMULATOR_URL"]


def control(method, path, body=None):
    """A control-plane request: no signature. Returns (status, parsed JSON or None)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(ROOT + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        raw = error.read()
        return error.code, json.loads(raw) if raw else None


def journal(**filters):
    status, body = control("GET", "/__emulator/requests?" + urllib.parse.urlencode(filters))
    assert status == 200, (status, body)
    return body["requests"] if isinstance(body, dict) else body


class ControlPlane(unittest.TestCase):
    def setUp(self):
        self.client = DocScanClient(
            os.environ["IDV_SDK_ID"],
            os.environ["IDV_KEY_FILE"],
            api_url=os.environ["IDV_SANDBOX_URL"],
        )

    def test_an_injected_503_fails_the_sdk_and_the_journal_shows_both_attempts(self):
        self.assertEqual(control("GET", "/__emulator/health")[0], 200)
        self.assertEqual(control("POST", "/__emulator/reset")[0], 204)
        self.assertEqual(journal(), [])

        spec = (
            SessionSpecBuilder()
            .with_requested_check(RequestedDocumentAuthenticityCheckBuilder().build())
            .build()
        )
        session_id = self.client.create_session(spec).session_id

        status, fault = control(
            "POST", "/__emulator/faults", {"operation": "getSession", "status": 503, "times": 1}
        )
        self.assertEqual(status, 201, fault)
        with self.assertRaises(DocScanException) as failed:
            self.client.get_session(session_id)
        self.assertEqual(failed.exception.status_code, 503)

        self.assertEqual(control("DELETE", "/__emulator/faults")[0], 204)
        result = self.client.get_session(session_id)
        self.assertEqual(result.session_id, session_id)
        self.assertEqual(result.state, "COMPLETED")

        attempts = journal(operation="getSession", session=session_id)
        self.assertEqual([a["status"] for a in attempts], [503, 200])
        self.assertTrue(attempts[0].get("fault"), attempts[0])
        self.assertFalse(attempts[1].get("fault"), attempts[1])
        # The SDK's create is in the journal too, with nothing secret in it.
        everything = json.dumps(journal())
        self.assertIn("createSession", everything)
        for secret in ("nonce", "sdkId=", "X-Yoti-Auth-Digest"):
            self.assertNotIn(secret, everything)


class OwnKeyPair(unittest.TestCase):
    """A team's own sandbox key pair and SDK id work with the installed binary unchanged."""

    def test_the_sdk_signs_with_a_key_pair_made_here(self):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        sdk_id = "0b7c9a3e-1111-4222-8333-944455556666"
        with tempfile.TemporaryDirectory() as tmp:
            private = os.path.join(tmp, "team.pem")
            public = os.path.join(tmp, "team-public.pem")
            with open(private, "wb") as f:
                f.write(key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.TraditionalOpenSSL,
                    serialization.NoEncryption(),
                ))
            with open(public, "wb") as f:
                f.write(key.public_key().public_bytes(
                    serialization.Encoding.PEM,
                    serialization.PublicFormat.SubjectPublicKeyInfo,
                ))
            emulator = subprocess.Popen(
                [os.environ["IDV_EMULATOR_BIN"], "--port", "0", "--sdk-id", sdk_id,
                 "--public-key", public],
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            )
            try:
                fields = {}
                for line in emulator.stdout:
                    name, _, value = line.partition(":")
                    fields[name] = value.strip()
                    if line.startswith("Without its setting"):
                        break
                self.assertEqual(fields["SDK id"], sdk_id)
                url = fields["sandbox URL"]
                client = DocScanClient(sdk_id, private, api_url=url)
                spec = (
                    SessionSpecBuilder()
                    .with_requested_check(RequestedDocumentAuthenticityCheckBuilder().build())
                    .build()
                )
                session_id = client.create_session(spec).session_id
                self.assertEqual(client.get_session(session_id).state, "COMPLETED")
                client.delete_session(session_id)
                # The demo key no longer signs for this application.
                demo = DocScanClient(sdk_id, os.environ["IDV_KEY_FILE"], api_url=url)
                with self.assertRaises(DocScanException) as refused:
                    demo.create_session(spec)
                self.assertEqual(refused.exception.status_code, 401)
            finally:
                emulator.terminate()
                status = emulator.wait(timeout=10)
                emulator.stdout.close()
            self.assertEqual(status, 0, "SIGTERM stops the emulator cleanly")


if __name__ == "__main__":
    unittest.main()
