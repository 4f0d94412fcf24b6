#!/usr/bin/env bash
# Service settings against the baseline (the shipped settings: 1 intra-op thread, workstation GC, request log on),
# /verify with 24 px crops,
# student model, in interleaved rounds so that every variant sees the same background load.
# Results: benchmarks/results/load-ab/<variant>-r<round>.json.
#
#   FACESERVICE_STUDENT_MODEL=models/student-lowres-112-v3.onnx benchmarks/run-settings-ab.sh [rounds=3] [seconds=5]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STUDENT="${FACESERVICE_STUDENT_MODEL:-$ROOT/models/student-lowres-112-v3.onnx}"
ROUNDS="${1:-3}"
SECONDS_PER_LEVEL="${2:-5}"
rm -rf "$ROOT/benchmarks/results/load-ab"
run() {
  local label="$1"; shift
  "$ROOT/benchmarks/run-load-test.sh" --no-build --label "$label" --model "$STUDENT" --concurrency 4,16 --seconds "$SECONDS_PER_LEVEL" \
    --scenarios verify-crop --results-folder load-ab "$@"
}
for round in $(seq 1 "$ROUNDS"); do
  run "baseline-r$round" --threads 1
  run "intra-op-2-threads-r$round" --threads 2
  run "server-gc-r$round" --threads 1 --set DOTNET_gcServer=1
  run "no-request-log-r$round" --threads 1 --set Serilog__MinimumLevel__Default=Warning
done
