#!/usr/bin/env bash
# The machine description for docs/BENCHMARKS.md (markdown); --after adds the load average at the end of the runs.
set -euo pipefail
if [[ "${1:-}" == "--after" ]]; then
  echo "* load average when the runs ended: $(cut -d' ' -f1-3 /proc/loadavg)"
  exit 0
fi
echo "* CPU: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1), \`nproc\` = $(nproc)"
echo "* memory: $(free -g | awk '/^Mem:/ {print $2}') GiB total, $(free -g | awk '/^Mem:/ {print $7}') GiB available at the start"
echo "* OS: $(uname -sr); .NET $(dotnet --version); ONNX Runtime 1.31.1 (CPU); USearch 2.26.6"
echo "* runs started $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg) (other engineers' builds and training ran on the same 2 cores)"
if [[ -n "${FACESERVICE_STUDENT_MODEL:-}" ]]; then
  CARD="${FACESERVICE_STUDENT_MODEL%.onnx}.json"
  SUMMARY="$(python3 -c 'import json, sys; c = json.load(open(sys.argv[1])); print("%s px input, %s parameters, card id %s" % (c["inputSize"], c.get("parameters", "?"), c["id"]))' "$CARD")"
  echo "* student measured: \`$(basename "$FACESERVICE_STUDENT_MODEL")\`, $SUMMARY${FACESERVICE_STUDENT_NOTE:+ — $FACESERVICE_STUDENT_NOTE}"
fi
