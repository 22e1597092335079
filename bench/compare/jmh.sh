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
. "$ROOT/bench/compare/common.sh"
bench_setup "$@"
CPFILE="$ROOT/bench/$BUILD/jmh.classpath"
if [ "$DO_BUILD" = 1 ] || [ ! -f "$CPFILE" ]; then
  bench_build dependency:build-classpath -Dmdep.outputFile="$CPFILE" -Dmdep.includeScope=runtime
fi
# JMH forks its benchmark JVMs with the same java binary (-jvm) and GemmBench adds the module flag.
exec "$JAVA" --add-modules jdk.incubator.vector -cp "$ROOT/bench/$BUILD/classes:$(cat "$CPFILE")" \
  org.openjdk.jmh.Main -jvm "$JAVA" ${ARGS[@]+"${ARGS[@]}"}
