# Runs the official Python SDK's own DocScanClient methods with a pinned nonce and timestamp,
# and captures each request instead of sending it.
import json, sys
import yoti_python_sdk.http as http
http.create_nonce = lambda: "5f0c4a3e-7d1b-4c2a-9e8f-0123456789ab"
http.create_timestamp = lambda: 1700000000123
captured = []
class Captured(Exception): pass
def execute(self):
    body = self.data.decode() if isinstance(self.data, bytes) else self.data
    captured.append({"method": self.method, "url": self.url, "body": body,
                     "digest": self.headers["X-Yoti-Auth-Digest"]})
    raise Captured()
http.SignedRequest.execute = execute
from yoti_python_sdk.doc_scan import DocScanClient, SessionSpecBuilder
SDK, S, M = "a1b2c3d4-e5f6-7890-abcd-ef0123456789", "8f6a9b1c-2d3e-4f50-8a9b-0c1d2e3f4a5b", "3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b9a"
c = DocScanClient(SDK, sys.argv[1], api_url="https://api.yoti.com/idverify/v1")
spec = SessionSpecBuilder().with_client_session_token_ttl(600).with_resources_ttl(90000).build()
calls = [("createSession", lambda: c.create_session(spec)), ("getSession", lambda: c.get_session(S)),
         ("deleteSession", lambda: c.delete_session(S)), ("getMediaContent", lambda: c.get_media_content(S, M)),
         ("deleteMediaContent", lambda: c.delete_media_content(S, M)), ("getSupportedDocuments", lambda: c.get_supported_documents())]
out = []
for name, call in calls:
    try: call()
    except Captured: pass
    out.append(dict(name=name, **captured.pop()))
print(json.dumps(out, indent=1))
