// The official Yoti Node SDK (`yoti` on npm) against the IDV emulator: first a few calls that
// show the emulator accepts the SDK's requests, then requests per second of
// `IDVClient.getSession` at concurrency 1 and 16.
//
//   YOTI_IDV_API_URL=http://127.0.0.1:PORT/idverify/v1 YOTI_CLIENT_SDK_ID=... \
//   YOTI_KEY_FILE_PATH=... SESSION_ID=... node get_session.js
//
// The SDK reads its base URL from YOTI_IDV_API_URL itself. BENCH_SECONDS sets how long each
// measurement runs (default 10). run.sh sets all of these.
'use strict';

const fs = require('fs');
const {
  IDVClient,
  SessionSpecificationBuilder,
  RequestedDocumentAuthenticityCheckBuilder,
  RequestedTextExtractionTaskBuilder,
} = require('yoti');

function env(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`set ${name}`);
    process.exit(2);
  }
  return value;
}

async function measure(client, sessionId, concurrency, seconds) {
  let done = 0;
  let stop = false;
  const start = process.hrtime.bigint();
  const loop = async () => {
    while (!stop) {
      await client.getSession(sessionId);
      done += 1;
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  stop = true;
  await Promise.all(loops);
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  return { done, elapsed };
}

async function main() {
  env('YOTI_IDV_API_URL');
  const client = new IDVClient(env('YOTI_CLIENT_SDK_ID'), fs.readFileSync(env('YOTI_KEY_FILE_PATH')));
  const sessionId = env('SESSION_ID');
  const seconds = Number(process.env.BENCH_SECONDS || 10);
  const version = require('yoti/package.json').version;

  // What the emulator accepts from the SDK: no sdkId on supported-documents, millisecond
  // timestamps everywhere, and the SDK's own session specification.
  const documents = await client.getSupportedDocuments(true);
  const spec = new SessionSpecificationBuilder()
    .withClientSessionTokenTtl(600)
    .withRequestedCheck(new RequestedDocumentAuthenticityCheckBuilder().withManualCheckNever().build())
    .withRequestedTask(new RequestedTextExtractionTaskBuilder().withManualCheckAlways().build())
    .build();
  const created = await client.createSession(spec);
  const own = await client.getSession(created.getSessionId());
  await client.deleteSession(created.getSessionId());
  console.log(`node   smoke: ${documents.getSupportedCountries().length} supported countries; `
    + `created, read (${own.getChecks().length} checks) and deleted a session`);

  const session = await client.getSession(sessionId);
  console.log(`node   yoti ${version} on Node ${process.version}: GET /sessions/{id}, ${session.getChecks().length} checks`);
  await measure(client, sessionId, 1, 1); // warm-up
  for (const concurrency of [1, 16]) {
    const { done, elapsed } = await measure(client, sessionId, concurrency, seconds);
    const rate = Math.round(done / elapsed);
    console.log(`node   concurrency ${String(concurrency).padStart(2)}: ${String(done).padStart(6)} requests `
      + `in ${elapsed.toFixed(2)} s = ${String(rate).padStart(7)} requests/s`);
  }
}

main().catch((error) => {
  console.error(`node bench failed: ${error.message || error}`);
  process.exit(1);
});
