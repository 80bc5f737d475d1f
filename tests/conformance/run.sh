#!/usr/bin/env bash
# The spec and the emulator, checked by tools nobody here wrote (see tests/README.md):
#
#   tests/conformance/run.sh lint          Redocly (recommended), Spectral (spectral:oas) and
#                                          openapi-spec-validator on spec/idv.yaml: 0 errors
#   tests/conformance/run.sh hook          the schemathesis auth hook signs byte for byte as
#                                          `cargo run -p idv-signing --example sign`
#   tests/conformance/run.sh schemathesis  schemathesis against the emulator's two base URLs
#   tests/conformance/run.sh control       the official Python SDK against the emulator as
#                                          `cargo install` installs it, driven through its
#                                          control plane (test_control_plane.py)
#   tests/conformance/run.sh               all four: lint, hook, control, schemathesis
#
# Every tool comes at a pinned version: the npm ones from package-lock.json (`npm ci`, into
# tests/conformance/node_modules), the Python ones from requirements.txt, into a throwaway
# virtualenv (set IDV_CONFORMANCE_VENV=DIR to keep and reuse one). Nothing talks to anything but
# the package registries and the emulator on 127.0.0.1.
#
# Schemathesis settings: IDV_SCHEMATHESIS_SECONDS (the time budget per base URL, default 90),
# IDV_SCHEMATHESIS_SEED (default 20261130).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
spec="$root/spec/idv.yaml"
work="$(mktemp -d)"
emulator_pid=""

cleanup() {
    if [ -n "$emulator_pid" ]; then
        kill "$emulator_pid" 2>/dev/null || true
        wait "$emulator_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

say() { printf -- '--> %s\n' "$*"; }

# Runs a command and says how long it took.
timed() {
    local start=$SECONDS
    "$@"
    say "$1: $((SECONDS - start)) s"
}

PY=""
python_env() {
    [ -n "$PY" ] && return
    local venv="${IDV_CONFORMANCE_VENV:-$work/venv}"
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --disable-pip-version-check --quiet -r "$here/requirements.txt"
    PY="$venv/bin/python"
}

node_env() {
    [ -x "$here/node_modules/.bin/redocly" ] && [ -x "$here/node_modules/.bin/spectral" ] &&
        [ "$here/node_modules/.package-lock.json" -nt "$here/package-lock.json" ] && return
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
}

lint() {
    node_env
    python_env
    say "redocly lint (recommended; turned-off rules and why: tests/conformance/redocly.yaml)"
    REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
        "$here/node_modules/.bin/redocly" lint "$spec" --config "$here/redocly.yaml"
    say "spectral lint (spectral:oas; turned-off rules and why: tests/conformance/.spectral.yaml)"
    "$here/node_modules/.bin/spectral" lint "$spec" --ruleset "$here/.spectral.yaml" --fail-severity error
    say "openapi-spec-validator"
    "$PY" -m openapi_spec_validator "$spec"
}

hook() {
    python_env
    cargo build --quiet -p idv-signing --example sign
    (cd "$here" && "$PY" -m unittest -v test_yoti_auth)
}

# Starts the emulator on a free port and reads its base URLs, SDK id and key file: the binary
# given as $1, else the workspace's debug build.
start_emulator() {
    local binary="${1:-}"
    if [ -z "$binary" ]; then
        cargo build --quiet -p idv-emulator --bin idv-emulator
        local target
        target="$(cargo metadata --format-version 1 --no-deps | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
        binary="$target/debug/idv-emulator"
    fi
    "$binary" >"$work/emulator.out" 2>&1 &
    emulator_pid=$!
    for _ in $(seq 100); do
        grep -q '^key file:' "$work/emulator.out" && break
        sleep 0.1
    done
    field() { sed -n "s/^$1: *//p" "$work/emulator.out" | head -n 1; }
    BASE_URL="$(field 'base URL')"
    ROOT_URL="${BASE_URL%/idverify/v1}"
    SANDBOX_URL="$(field 'sandbox URL')"
    SDK_ID="$(field 'SDK id')"
    KEY_FILE="$(field 'key file')"
    if [ -z "$KEY_FILE" ]; then
        cat "$work/emulator.out" >&2
        echo "the emulator did not start" >&2
        return 1
    fi
}

# Schemathesis against one base URL; extra arguments go to `schemathesis run`.
fuzz() {
    local url="$1"
    shift
    say "schemathesis against $url"
    (
        cd "$here"
        export PYTHONPATH="$here" SCHEMATHESIS_HOOKS=yoti_auth
        export IDV_BASE_URL="$url" IDV_SDK_ID="$SDK_ID" IDV_KEY_FILE="$KEY_FILE"
        "$(dirname "$PY")/schemathesis" --config-file "$here/schemathesis.toml" run "$spec" \
            --url "$url" \
            --mode all --phases examples,coverage,fuzzing,stateful \
            --seed "${IDV_SCHEMATHESIS_SEED:-20261130}" \
            --max-time "${IDV_SCHEMATHESIS_SECONDS:-90}" \
            --report junit --report-dir "$work/report" \
            --no-color "$@"
    )
}

schemathesis() {
    python_env
    start_emulator
    # The sandbox has every operation.
    timed fuzz "$SANDBOX_URL"
    # Production has no response-config operations: they answer 404 there, by design.
    timed fuzz "$BASE_URL" --exclude-tag sandbox
    if grep -q 'response does not match the spec' "$work/emulator.out"; then
        grep 'response does not match the spec' "$work/emulator.out" >&2
        echo "the emulator sent responses its spec does not allow" >&2
        return 1
    fi
}

# `cargo install` of the emulator crate, as a user would (a debug build, into a throwaway root,
# reusing the workspace's build), then the Python SDK test against that binary.
control() {
    python_env
    say "cargo install --path idv-emulator --debug"
    CARGO_TARGET_DIR="$(cargo metadata --format-version 1 --no-deps | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')" \
        cargo install --quiet --locked --debug --path "$root/idv-emulator" --root "$work/install"
    start_emulator "$work/install/bin/idv-emulator"
    (
        cd "$here"
        export IDV_EMULATOR_URL="$ROOT_URL" IDV_SANDBOX_URL="$SANDBOX_URL"
        export IDV_SDK_ID="$SDK_ID" IDV_KEY_FILE="$KEY_FILE"
        export IDV_EMULATOR_BIN="$work/install/bin/idv-emulator"
        "$PY" -m unittest -v test_control_plane
    )
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
    emulator_pid=""
}

case "${1:-all}" in
    lint) timed lint ;;
    hook) timed hook ;;
    schemathesis) timed schemathesis ;;
    control) timed control ;;
    all)
        timed lint
        timed hook
        timed control
        timed schemathesis
        ;;
    *)
        sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'
        exit 2
        ;;
esac
