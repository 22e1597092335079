#!/bin/bash
# Weft vs PyTorch on the four seed models (training step and inference, 1 and 2 threads), side by
# side in one command; prints a Markdown table and writes every step time to a JSON file.
#
#   bench/compare-models.sh [--jdk DIR] [--no-build] [ModelCompare options...]
#
#   bench/compare-models.sh                               # full run (about 15 min on 2 cores)
#   bench/compare-models.sh --quick                       # shorter warm-up/timing (about 5 min)
#   bench/compare-models.sh --models lstm,vae --threads 1 --clock cpu
#   bench/compare-models.sh --models vae --repeat 3       # each row 3 times, runs minutes apart: median ratio (min-max)
#   bench/compare-models.sh --models vgg --phases train --threads 1 --profile --no-torch
#   bench/compare-models.sh --jdk /usr/lib/jvm/java-17-openjdk-amd64 --json models-jdk17.json
#
# --jdk DIR   JDK to run Weft on (default: $JAVA_HOME, else temurin-25 if installed, else `java`).
# --no-build  reuse the classes from the last build.
# Other options go to dev.weft.bench.ModelCompare: --models vgg,resnet18,lstm,vae --threads 1,2
# --phases train,infer --quick --clock wall|cpu --json FILE (default model-compare.json)
# --jvm-opt OPT (repeatable) --python /usr/bin/python3 --no-torch --profile (JFR summary of Weft's
# timed steps: CPU samples and allocations) --repeat N (N runs of every row, repeats as the outer loop,
# who goes first flipped each run; adds a table of the median ratio over the runs). WEFT_BUILD names Maven's build folder (default target, the -Dweft.build property).
# PyTorch: Debian's /usr/bin/python3 with python3-torch; OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are
# removed and OPENBLAS_NUM_THREADS/OMP_NUM_THREADS set to the thread count for its processes.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/bench/compare/common.sh"
bench_setup "$@"
[ "$DO_BUILD" = 1 ] && bench_build --no-transfer-progress
echo "# git HEAD $(git -C "$ROOT" log -1 --format=%h); classes from the last build of the working tree in $BUILD"
echo "# JDK: $("$JAVA" -version 2>&1 | head -1); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2) x $(nproc); $(uptime)"
cd "$ROOT"
exec env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$JAVA" --add-modules jdk.incubator.vector -cp "$CP" \
  dev.weft.bench.ModelCompare --java "$JAVA" --cp "$CP" --torch-script "$ROOT/bench/peers/models_torch.py" ${ARGS[@]+"${ARGS[@]}"}
