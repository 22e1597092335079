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
BUILD="${WEFT_BUILD:-target}"
JDK="${JAVA_HOME:-}"
[ -z "$JDK" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ] && JDK=/usr/lib/jvm/temurin-25-jdk-amd64
DO_BUILD=1
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --jdk) JDK="$2"; shift 2 ;;
    --no-build) DO_BUILD=0; shift ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
JAVA=java
[ -n "$JDK" ] && JAVA="$JDK/bin/java"
if [ "$DO_BUILD" = 1 ]; then
  (cd "$ROOT" && mvn -q -B -Dweft.build="$BUILD" -pl bench -am package -Dmaven.test.skip=true)
fi
CP="$ROOT/bench/$BUILD/classes:$ROOT/engine/$BUILD/classes:$ROOT/nn/$BUILD/classes:$ROOT/datasets/$BUILD/classes:$ROOT/zoo/$BUILD/classes"
echo "JDK: $("$JAVA" -version 2>&1 | head -1); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2) x $(nproc)"
exec env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$ROOT/bench/compare/compare.py" \
  --java "$JAVA" --cp "$CP" "${ARGS[@]}"
