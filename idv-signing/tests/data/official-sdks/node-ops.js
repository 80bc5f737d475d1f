// Runs the official Node SDK's own service methods with a pinned nonce and timestamp, and
// captures each request instead of sending it: method, URL, body and X-Yoti-Auth-Digest.
const crypto = require('crypto');
crypto.randomUUID = () => '5f0c4a3e-7d1b-4c2a-9e8f-0123456789ab';
Date.now = () => 1700000000123;
// form-data's multipart boundary is '--------------------------' + 12 random bytes in hex.
const randomBytes = crypto.randomBytes;
crypto.randomBytes = (n, ...rest) => (n === 12 ? Buffer.from('0123456789abcdef01234567', 'hex') : randomBytes(n, ...rest));
const { YotiRequest } = require('yoti/src/request/request');
const captured = [];
YotiRequest.prototype.execute = function () {
  captured.push({
    method: this.method,
    url: this.url,
    body: this.payload ? Buffer.from(this.payload.getPayloadData()).toString() : null,
    body_base64: this.payload ? Buffer.from(this.payload.getPayloadData()).toString('base64') : null,
    content_type: this.headers['Content-Type'],
    digest: this.headers['X-Yoti-Auth-Digest'],
  });
  return Promise.reject(new Error('captured'));
};
const yoti = require('yoti');
const fs = require('fs');
const pem = fs.readFileSync(process.argv[2]);
const SDK = 'a1b2c3d4-e5f6-7890-abcd-ef0123456789';
const S = '8f6a9b1c-2d3e-4f50-8a9b-0c1d2e3f4a5b';
const M = '3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b9a';
const R = '6d5e4f30-2a1b-4c0d-8e9f-a0b1c2d3e4f5';
// A 1x1 PNG: binary bytes, as a real face image is.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==', 'base64');
const idv = new yoti.internals.IDVService(SDK, pem, { apiUrl: 'https://api.yoti.com/idverify/v1' });
const spec = new yoti.SessionSpecificationBuilder()
  .withClientSessionTokenTtl(600).withResourcesTtl(90000).withUserTrackingId('user-123').build();
const calls = [
  ['createSession', () => idv.createSession(spec)],
  ['getSession', () => idv.getSession(S)],
  ['deleteSession', () => idv.deleteSession(S)],
  ['getMediaContent', () => idv.getMediaContent(S, M)],
  ['deleteMediaContent', () => idv.deleteMediaContent(S, M)],
  ['getSupportedDocuments', () => idv.getSupportedDocuments()],
  ['getSupportedDocuments includeNonLatin', () => idv.getSupportedDocuments(true)],
  ['getSessionConfiguration', () => idv.getSessionConfiguration(S)],
  ['createFaceCaptureResource', () => idv.createFaceCaptureResource(S,
    new yoti.CreateFaceCaptureResourcePayloadBuilder().withRequirementId(R).build())],
  ['uploadFaceCaptureImage', () => idv.uploadFaceCaptureImage(S, M,
    new yoti.UploadFaceCaptureImagePayloadBuilder().forPngImage().withImageContents(PNG).build())],
  ['getSessionTrackedDevices', () => idv.getSessionTrackedDevices(S)],
  ['deleteSessionTrackedDevices', () => idv.deleteSessionTrackedDevices(S)],
];
(async () => {
  const out = [];
  for (const [name, call] of calls) {
    await call().catch(() => {});
    out.push({ name, ...captured.pop() });
  }
  console.log(JSON.stringify(out, null, 1));
})();
