#!/usr/bin/env bash
# Every measurement behind docs/BENCHMARKS.md, in order, then the report. Takes an hour or more on 2 cores the first
# time (the 1M-face USearch builds dominate, about 30 min on uniform data on a loaded machine); later runs load the
# cached graphs from artifacts/bench-index-cache.
#
#   FACESERVICE_STUDENT_MODEL=models/student-lowres-112-v3.onnx benchmarks/run-benchmarks.sh
# (the float student: export it as models/student-lowres-112-v3.md says; the shipped int8 file sits beside it)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STUDENT="${FACESERVICE_STUDENT_MODEL:-$ROOT/models/student-lowres-112-v3.onnx}"
export FACESERVICE_STUDENT_MODEL="$STUDENT"
RESULTS="$ROOT/benchmarks/results"
mkdir -p "$RESULTS"

benchmarks/write-machine.sh > "$RESULTS/machine.md"
# The embedding benchmark also measures both models statically quantised to int8 (X-int8.onnx beside X.onnx),
# calibrated on the training crop cache. An existing int8 model is kept: it may be the shipped one, whose card holds
# the operating points a fresh quantisation would not have.
for MODEL in "$STUDENT" "$ROOT/models/teacher-dlib-resnet.onnx"; do
  [ -f "${MODEL%.onnx}-int8.onnx" ] ||
    dotnet run --project "$ROOT/src/FaceService.Training" -c Release -- quantize --model "$MODEL" --crops "$ROOT/artifacts/train-cache"
done
dotnet build "$ROOT/benchmarks/FaceService.Benchmarks" -c Release -v quiet -nologo
cd "$ROOT/benchmarks/FaceService.Benchmarks"
BENCH="dotnet bin/Release/net10.0/FaceService.Benchmarks.dll"

# Face-model data (the issue's target is judged on it), then uniform data, the worst case. The face model itself is
# committed (benchmarks/data/face-embedding-model.json; `$BENCH fit-face-model --cache <train-cache>` refits it).
$BENCH recall --data faces --sizes 10000,100000,1000000
$BENCH recall --data uniform --sizes 10000,100000,1000000
$BENCH recall --index quantized-scan --data faces --sizes 10000,100000,1000000
$BENCH recall --index quantized-scan --data uniform --sizes 10000,100000,1000000
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
