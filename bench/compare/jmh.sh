#!/bin/bash
# Builds the bench module and runs JMH (the benchmark of record), e.g.
#   bench/compare/jmh.sh GemmBench -p threads=1,2
#   bench/compare/jmh.sh GemmBench -p shape=512x512*512x512 -wi 3 -i 5
#   bench/compare/jmh.sh --jdk /usr/lib/jvm/java-17-openjdk-amd64 GemmBench
# --jdk DIR picks the JDK (default: $JAVA_HOME, else temurin-25 if installed, else `java`);
# --no-build reuses the last build. WEFT_BUILD names Maven's build folder (default target).
# Everything else goes to org.openjdk.jmh.Main (-h lists its options). GemmBench prints a
# "gflops" secondary metric (GFLOP/s) under each ops/s score.
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
CPFILE="$ROOT/bench/$BUILD/jmh.classpath"
if [ "$DO_BUILD" = 1 ] || [ ! -f "$CPFILE" ]; then
  (cd "$ROOT" && mvn -q -B -Dweft.build="$BUILD" -pl bench -am package -Dmaven.test.skip=true \
      dependency:build-classpath -Dmdep.outputFile="$CPFILE" -Dmdep.includeScope=runtime)
fi
# JMH forks its benchmark JVMs with the same java binary (-jvm) and GemmBench adds the module flag.
exec "$JAVA" --add-modules jdk.incubator.vector -cp "$ROOT/bench/$BUILD/classes:$(cat "$CPFILE")" \
  org.openjdk.jmh.Main -jvm "$JAVA" "${ARGS[@]}"
