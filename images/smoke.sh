#!/usr/bin/env bash
# images/smoke.sh [TAG]: the images from `./instructflow images`, run for real with podman, as the chart runs them
# (non-root, read-only root file system, settings from the environment):
#   1. java runs in both;
#   2. a worker told to use a GPU where there is none exits at start, saying so;
#   3. against a platform started here with `./instructflow serve` (its embedded Temporal and S3 on spare ports), a
#      worker container joins and serves /metrics, and an API container with nothing embedded (no in-process worker,
#      tokens verified with a mounted public key, an opaque admin token) becomes ready and answers.
# Prints what it checked and how long each start took; exits non-zero on the first failure. Needs podman, runc,
# openssl, curl, and the ports 17233, 18080, 18081, 19000, 19464, 19465 free on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
export CONTAINERS_CONF="$PWD/images/containers.conf"
tag="${1:-$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -1)}"
api="localhost/instructflow-api:$tag"
worker="localhost/instructflow-worker:$tag"
work="$(mktemp -d /tmp/instructflow-smoke-XXXXXX)"
serve_pid=""
cleanup() {
  podman rm -f -t 5 instructflow-smoke-worker instructflow-smoke-api >/dev/null 2>&1 || true
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAILED: $*" >&2; exit 1; }
# seconds since $1 (a date +%s.%N), one decimal
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
run=(podman run --read-only --network host)

for image in "$api" "$worker"; do
  version="$("${run[@]}" --rm --entrypoint java "$image" -version 2>&1)"
  grep -q 'openjdk version "17' <<<"$version" || fail "java -version in $image: $version"
  [ "$("${run[@]}" --rm --entrypoint id "$image" -u)" = 10001 ] || fail "$image runs as UID 10001"
done
echo "ok: java 17 runs in both images, as UID 10001, on a read-only root"

set +e
refusal="$("${run[@]}" --rm -e INSTRUCTFLOW_TEMPORAL_TARGET=127.0.0.1:1 -e INSTRUCTFLOW_S3_ENDPOINT=http://127.0.0.1:1 \
  -e INSTRUCTFLOW_S3_ACCESS_KEY=unused -e INSTRUCTFLOW_S3_SECRET_KEY=unused \
  -e INSTRUCTFLOW_WORKER_QUEUES=gpu -e INSTRUCTFLOW_DEVICE=gpu "$worker" 2>&1)"
code=$?
set -e
[ "$code" = 2 ] && grep -q "sees 0 GPU(s)" <<<"$refusal" || fail "a GPU worker without a GPU: exit $code, $refusal"
echo "ok: a GPU worker without a GPU exits 2 at start: $refusal"

INSTRUCTFLOW_DATA_DIR="$work/platform" \
  INSTRUCTFLOW_JAVA_OPTS="-Dinstructflow.temporal.port=17233 -Dinstructflow.s3.port=19000 -Dinstructflow.metrics-port=19464" \
  ./instructflow serve --port 18080 > "$work/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 1 240); do grep -q "^InstructFlow is serving" "$work/serve.log" && break; sleep 0.5; done
grep -q "^InstructFlow is serving" "$work/serve.log" || fail "serve did not start: $(tail -5 "$work/serve.log")"
# the embedded store made its keys beside its data; the worker container is given them
{ read -r s3_access; read -r s3_secret; } < "$work/platform/s3-credentials"
platform=(-e INSTRUCTFLOW_TEMPORAL_TARGET=127.0.0.1:17233 -e INSTRUCTFLOW_S3_ENDPOINT=http://127.0.0.1:19000
  -e INSTRUCTFLOW_S3_ACCESS_KEY="$s3_access" -e INSTRUCTFLOW_S3_SECRET_KEY="$s3_secret")

started=$(date +%s.%N)
"${run[@]}" -d --name instructflow-smoke-worker "${platform[@]}" -e INSTRUCTFLOW_METRICS_PORT=19465 "$worker" >/dev/null
line=""
for _ in $(seq 1 120); do
  line="$(podman logs instructflow-smoke-worker 2>&1 | sed -n '/^worker /p')"
  [ -n "$line" ] && break
  sleep 0.5
done
[ -n "$line" ] || fail "the worker did not start: $(podman logs instructflow-smoke-worker 2>&1 | tail -5)"
curl -sf http://127.0.0.1:19465/-/healthy >/dev/null || fail "the worker's /-/healthy"
echo "ok: worker up in $(since "$started") s: $line"

mkdir -p "$work/jwt"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/private.pem" 2>/dev/null
openssl pkey -in "$work/private.pem" -pubout -out "$work/jwt/public-key.pem"
chmod 755 "$work" "$work/jwt" && chmod 644 "$work/jwt/public-key.pem"
started=$(date +%s.%N)
"${run[@]}" -d --name instructflow-smoke-api "${platform[@]}" -v "$work/jwt:/etc/instructflow/jwt:ro" \
  -e INSTRUCTFLOW_WORKER_ENABLED=false -e INSTRUCTFLOW_AUTH_EMBEDDED=false -e QUARKUS_HTTP_PORT=18081 \
  -e MP_JWT_VERIFY_PUBLICKEY_LOCATION=/etc/instructflow/jwt/public-key.pem -e INSTRUCTFLOW_ADMIN_TOKEN=smoke-admin "$api" >/dev/null
for _ in $(seq 1 120); do curl -sf http://127.0.0.1:18081/q/health/ready >/dev/null && break; sleep 0.5; done
[[ "$(curl -sf http://127.0.0.1:18081/q/health/ready)" =~ \"temporal_up\"\ *:\ *true ]] || fail "the API is not ready: $(podman logs instructflow-smoke-api 2>&1 | tail -5)"
ready="$(since "$started")"
[[ "$(curl -sf -H "Authorization: Bearer smoke-admin" http://127.0.0.1:18081/api/v1/runs)" == *'"runs"'* ]] || fail "GET /api/v1/runs as admin"
b64() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
now=$(date +%s)
claims="$(printf '{"sub":"ops","upn":"ops","groups":["operator"],"iat":%d,"exp":%d}' "$now" $((now + 600)) | b64)"
unsigned="$(printf '{"alg":"RS256","typ":"JWT"}' | b64).$claims"
token="$unsigned.$(printf '%s' "$unsigned" | openssl dgst -sha256 -sign "$work/private.pem" | b64)"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" http://127.0.0.1:18081/api/v1/runs)" = 200 ] \
  || fail "a token signed with the configured key"
[ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:18081/api/v1/runs)" = 401 ] || fail "no token must be refused"
echo "ok: API ready in $ready s with nothing embedded; a token signed with the configured key is accepted, none refused"
echo "smoke: all passed"
