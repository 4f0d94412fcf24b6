#!/usr/bin/env bash
# Training time of the two schemes, end to end on the same data, epochs and machine: the improved scheme
# (configs/quick-improved.json: student only, cached teacher targets) against the usual one (configs/quick-usual.json:
# fine-tune the teacher on the LR-augmented crops, then distil the student from it). Both train on the first 2,048
# crops of the train cache for 2 epochs; each run's summary.json (wall-clock per phase, plus the shared prepare and
# targets steps pro rata) is copied to benchmarks/results/training/ for the report.
#
#   benchmarks/run-training-time.sh              # needs the train cache: facetrain prepare + facetrain targets
#   benchmarks/run-training-time.sh -dlibresnet  # the same pair with the teacher-initialised student (quick-*-dlibresnet.json)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
dotnet build src/FaceService.Training -c Release -v quiet -nologo
FACETRAIN="dotnet src/FaceService.Training/bin/Release/net10.0/facetrain.dll"
mkdir -p benchmarks/results/training
VARIANT="${1:-}"
for scheme in improved usual; do
  run="quick-$scheme$VARIANT"
  rm -rf "artifacts/runs/$run"
  $FACETRAIN train --config "configs/$run.json"
  cp "artifacts/runs/$run/summary.json" "benchmarks/results/training/$run.json"
done
