#!/usr/bin/env bash
# Load test of the real service: starts it in Release on a free 127.0.0.1 port with a temporary gallery and a random
# API key, runs the .NET load client (enrols face-api's demo subjects, then loads /verify and /identify with aligned
# 24 px crops and with full photos at each concurrency, bounded by --seconds and --max-requests per level), and stops
# the service. Results: benchmarks/results/load/<label>.json.
#
#   benchmarks/run-load-test.sh --label teacher-t1 [--model models/teacher-dlib-resnet.onnx] [--threads 1]
#       [--concurrency 1,4,16] [--seconds 10] [--max-requests 5000] [--scenarios verify-crop,...] [--set Key=Value ...]
#       [--results-folder load] [--no-build]
#
# The default threshold is pinned (Thresholds:Cosine=0.5) so that a model card without operating points (an untrained
# student) starts too; a threshold does not change what a request costs.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
LABEL=teacher
MODEL="$ROOT/models/teacher-dlib-resnet.onnx"
THREADS=1
CONCURRENCY=1,4,16
SECONDS_PER_LEVEL=10
MAX_REQUESTS=5000
SCENARIOS=verify-crop,verify-photo,identify-crop,identify-photo
RESULTS_FOLDER=load
EXTRA=()
BUILD=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --label) LABEL="$2"; shift 2 ;;
    --model) MODEL="$(realpath "$2")"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --concurrency) CONCURRENCY="$2"; shift 2 ;;
    --seconds) SECONDS_PER_LEVEL="$2"; shift 2 ;;
    --max-requests) MAX_REQUESTS="$2"; shift 2 ;;
    --scenarios) SCENARIOS="$2"; shift 2 ;;
    --set) EXTRA+=("$2"); shift 2 ;;
    --results-folder) RESULTS_FOLDER="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    *) echo "unknown argument: $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done

if [[ $BUILD == 1 ]]; then
  dotnet build "$ROOT/src/FaceService.Api" -c Release -v quiet -nologo
  dotnet build "$ROOT/benchmarks/FaceService.Benchmarks" -c Release -v quiet -nologo
fi

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
WORK="$(mktemp -d)"
KEY="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
API_BIN="$ROOT/src/FaceService.Api/bin/Release/net10.0"

# The service runs in its output folder (its appsettings.json is there); every path it needs is absolute.
(
  cd "$API_BIN"
  exec env ASPNETCORE_ENVIRONMENT=Production \
      Urls="http://127.0.0.1:$PORT" \
      Auth__ApiKeys__0="$KEY" \
      Gallery__DatabasePath="$WORK/gallery.db" \
      Embedder__ModelPath="$MODEL" \
      Embedder__IntraOpThreads="$THREADS" \
      Faces__Detector__ModelPath="$ROOT/models/face-detector.onnx" \
      Faces__Landmarks__ModelPath="$ROOT/models/face-landmarks68.onnx" \
      Thresholds__Cosine=0.5 \
      "${EXTRA[@]}" \
      dotnet FaceService.Api.dll >"$WORK/service.log" 2>&1
) &
SERVICE_PID=$!
stop_service() {
  # The subshell exec'd the service, so this is the service's own process id.
  kill -TERM "$SERVICE_PID" 2>/dev/null || true
  wait "$SERVICE_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap stop_service EXIT

for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$SERVICE_PID" 2>/dev/null; then echo "the service exited:" >&2; tail -20 "$WORK/service.log" >&2; exit 1; fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$PORT/health/ready" >/dev/null || { echo "the service is not ready after 60 s" >&2; tail -20 "$WORK/service.log" >&2; exit 1; }
echo "service on 127.0.0.1:$PORT ($LABEL: $(basename "$MODEL"), $THREADS intra-op thread(s))"

cd "$ROOT/benchmarks/FaceService.Benchmarks"
FACESERVICE_API_KEY="$KEY" dotnet bin/Release/net10.0/FaceService.Benchmarks.dll load \
  --url "http://127.0.0.1:$PORT" --label "$LABEL" --concurrency "$CONCURRENCY" \
  --seconds "$SECONDS_PER_LEVEL" --max-requests "$MAX_REQUESTS" --scenarios "$SCENARIOS" --results-folder "$RESULTS_FOLDER"
