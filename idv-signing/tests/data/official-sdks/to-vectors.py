# Turns the requests that node-ops.js and java/ captured into entries of
# ../official-sdk-vectors.json (replacing entries of the same name), for the operations named
# below. Each message is rebuilt from the captured request, and each digest checked with
# `openssl dgst -sha256 -sign` before it is written.
#   python3 to-vectors.py node-out.json java-out.json
import base64, json, subprocess, sys, urllib.parse
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent
KEY = "test-rsa2048-pkcs1.pem"
NODE = {"getSessionConfiguration": "getSessionConfiguration",
        "createFaceCaptureResource": "createFaceCaptureResource",
        "uploadFaceCaptureImage": "uploadFaceCaptureImage",
        "getSessionTrackedDevices": "getSessionTrackedDevices",
        "deleteSessionTrackedDevices": "deleteSessionTrackedDevices"}
JAVA = {"putIbvInstructions": "putIbvInstructions",
        "getIbvInstructions": "getIbvInstructions",
        "getIbvInstructionsContactProfile": "fetchInstructionsContactProfile",
        "getIbvInstructionsPdf": "getIbvInstructionsPdf",
        "triggerIbvEmailNotification": "triggerIbvEmailNotification"}

def vector(captured, operation, source):
    url = urllib.parse.urlsplit(captured["url"])
    path = url.path.removeprefix("/idverify/v1")
    query = dict(urllib.parse.parse_qsl(url.query))
    body = base64.b64decode(captured["body_base64"]) if captured.get("body_base64") else None
    message = f"{captured['method']}&{path}?{url.query}".encode()
    if body is not None:
        message += b"&" + base64.b64encode(body)
    digest = base64.b64encode(subprocess.run(
        ["openssl", "dgst", "-sha256", "-sign", str(DATA / KEY)], input=message,
        capture_output=True, check=True).stdout).decode()
    assert digest == captured["digest"], operation
    v = {"name": f"{operation} {source.split(':')[0]}", "operation": operation, "key": KEY,
         "method": captured["method"], "path": path,
         "query_in": "&".join(p for p in url.query.split("&") if p.split("=")[0] not in ("nonce", "timestamp")),
         "body": None, "nonce": query["nonce"], "timestamp": query["timestamp"],
         "signed_message": message.decode(), "digest": digest, "source": source}
    if body is not None:
        try:
            v["body"] = body.decode()
        except UnicodeDecodeError:
            v["body_base64"] = captured["body_base64"]
            v["content_type"] = captured["content_type"]
    return v

node = {c["name"]: c for c in json.load(open(sys.argv[1]))}
java = {c["name"]: c for c in json.load(open(sys.argv[2]))}
new = [vector(node[op], op, f"yoti (Node) 4.13.2: IDVService.{op}") for op in NODE] + \
      [vector(java[op], op, f"yoti-sdk-api (Java) 4.1.0: DocScanService.{m}") for op, m in JAVA.items()]
path = DATA / "official-sdk-vectors.json"
vectors = [v for v in json.load(open(path)) if v["name"] not in {n["name"] for n in new}]
path.write_text(json.dumps(vectors + new, indent=1) + "\n")
