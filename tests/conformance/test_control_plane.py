"""The official Python SDK against the installed emulator, driven through its control plane.

The emulator's HTTP control plane (`/__emulator/...`) is for teams outside Rust: this test
resets the emulator, injects a 503 on `getSession`, sees the official `yoti` SDK fail, clears
the fault, sees it succeed, and finds both attempts in the request journal. `run.sh control`
installs the emulator with `cargo install`, starts it and runs this with:

    IDV_EMULATOR_URL   the emulator's root, e.g. http://127.0.0.1:8080
    IDV_SANDBOX_URL    its sandbox base URL
    IDV_SDK_ID         its SDK id
    IDV_KEY_FILE       the PEM key file to sign with
"""

import json
import os
import unittest
import urllib.parse
import urllib.request

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


if __name__ == "__main__":
    unittest.main()
