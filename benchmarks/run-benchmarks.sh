#!/usr/bin/env bash
# Every measurement behind docs/BENCHMARKS.md, in order, then the report. Takes about 15-25 minutes on 2 cores
# (the first 1M-face USearch build dominates; later runs load the cached graph from artifacts/bench-index-cache).
#
#   FACESERVICE_STUDENT_MODEL=models/student-improved.onnx benchmarks/run-benchmarks.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STUDENT="${FACESERVICE_STUDENT_MODEL:-$ROOT/models/student-improved.onnx}"
export FACESERVICE_STUDENT_MODEL="$STUDENT"
RESULTS="$ROOT/benchmarks/results"
mkdir -p "$RESULTS"

benchmarks/write-machine.sh > "$RESULTS/machine.md"
dotnet build "$ROOT/benchmarks/FaceService.Benchmarks" -c Release -v quiet -nologo
cd "$ROOT/benchmarks/FaceService.Benchmarks"
BENCH="dotnet bin/Release/net10.0/FaceService.Benchmarks.dll"

$BENCH recall --sizes 10000,100000,1000000
$BENCH --filter '*EmbeddingBenchmarks*' '*DetectionBenchmarks*' '*GallerySearchBenchmarks*'

cd "$ROOT"
benchmarks/run-load-test.sh --label "student-t1" --model "$STUDENT" --threads 1 --concurrency 1,4,16 --seconds 8
benchmarks/run-load-test.sh --no-build --label "teacher-t1" --model models/teacher-dlib-resnet.onnx --threads 1 --concurrency 1,4,16 --seconds 8
benchmarks/run-load-test.sh --no-build --label "student-t2" --model "$STUDENT" --threads 2 --concurrency 1,4,16 --seconds 8 --scenarios verify-crop,identify-crop
# Service settings against the baseline, interleaved rounds (see the script).
benchmarks/run-settings-ab.sh 3 5
# The two training schemes on the same crops and epochs.
benchmarks/run-training-time.sh

benchmarks/write-machine.sh --after >> "$RESULTS/machine.md"
cd "$ROOT/benchmarks/FaceService.Benchmarks" && $BENCH report
