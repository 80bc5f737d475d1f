#!/usr/bin/env bash
# Measures GET /sessions/{id} requests per second, at concurrency 1 and 16, for the Rust client
# (idv-api + idv-signing) and for the official Node SDK (yoti on npm), both against one
# standalone emulator built in release mode and serving the same full session.
#
#   tests/bench/run.sh
#
# The two alternate, IDV_BENCH_ROUNDS times (default 3), each measurement lasting
# IDV_BENCH_SECONDS (default 10), and the medians are compared: on a shared machine the speed
# drifts by more than the difference between two runs of one client.
#
# Needs cargo, node and npm; installs the Node SDK into tests/bench/node_modules (not committed).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
seconds="${IDV_BENCH_SECONDS:-10}"
rounds="${IDV_BENCH_ROUNDS:-3}"

cargo build --quiet --release -p idv-emulator --bin idv-emulator
cargo bench --quiet -p idv-tests --bench client --no-run 2>/dev/null
if [ ! -d tests/bench/node_modules/yoti ]; then
  (cd tests/bench && npm install --no-package-lock --no-audit --no-fund --loglevel=error)
fi

log="$(mktemp)"
results="$(mktemp)"
# RUST_LOG=warn: no request log line per request, which would be measured too.
RUST_LOG=warn target/release/idv-emulator --demo-session --no-response-check >"$log" 2>&1 &
emulator=$!
trap 'kill "$emulator" 2>/dev/null || true; rm -f "$log" "$results"' EXIT
for _ in $(seq 100); do
  grep -q '^demo session:' "$log" && break
  kill -0 "$emulator" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.1
done
field() { sed -n "s/^$1: *//p" "$log"; }
base="$(field 'base URL')"
sdk_id="$(field 'SDK id')"
key="$(field 'key file')"
session="$(field 'demo session')"
[ -n "$session" ] || { echo "the emulator did not start:"; cat "$log"; exit 1; }

echo "date:     $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine:  $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) before the run"
echo "emulator: $base (release build), session $session"
echo

for round in $(seq "$rounds"); do
  echo "round $round of $rounds"
  IDV_BENCH_URL="$base" IDV_BENCH_SESSION="$session" IDV_BENCH_SECONDS="$seconds" \
    cargo bench --quiet -p idv-tests --bench client | tee -a "$results"
  YOTI_IDV_API_URL="$base" YOTI_CLIENT_SDK_ID="$sdk_id" YOTI_KEY_FILE_PATH="$key" \
    SESSION_ID="$session" BENCH_SECONDS="$seconds" node tests/bench/get_session.js | tee -a "$results"
  echo
done

# The median requests/s of one client at one concurrency, over the rounds.
median() {
  sed -n "s/^$1 *concurrency *$2:.*= *\([0-9]*\) requests\/s$/\1/p" "$results" | sort -n |
    awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
for concurrency in 1 16; do
  rust="$(median rust "$concurrency")"
  node="$(median node "$concurrency")"
  echo "median at concurrency $concurrency: rust $rust, node $node requests/s ($(awk "BEGIN { printf \"%.1f\", $rust / $node }")x)"
done
echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) after the run"
