#!/bin/bash
# Side-by-side GEMM comparison: Weft vs numpy/OpenBLAS and PyTorch, interleaved, 1 and 2 threads.
#
#   bench/compare/run.sh [--jdk DIR] [--no-build] [compare.py options...]
#
# --jdk DIR   JDK to run Weft on (default: $JAVA_HOME, else temurin-25 if installed, else `java`).
# --no-build  reuse the classes from the last build.
# Other options go to compare.py (--threads 1,2 --rounds 9 --mintime 0.1 --only square --cases F
# --json OUT --jvm-opt -Dweft.vector.bits=256 ...). WEFT_BUILD names Maven's build folder (default
# target, the -Dweft.build property). OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are removed for the peers.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
. "$ROOT/bench/compare/common.sh"
bench_setup "$@"
[ "$DO_BUILD" = 1 ] && bench_build --no-transfer-progress
echo "JDK: $("$JAVA" -version 2>&1 | head -1); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2) x $(nproc)"
exec env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$ROOT/bench/compare/compare.py" \
  --java "$JAVA" --cp "$CP" ${ARGS[@]+"${ARGS[@]}"}
