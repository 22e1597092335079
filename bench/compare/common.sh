# shellcheck shell=bash disable=SC2034  # sourced: sets variables its callers use
# Shared prologue of the bench scripts (sourced, not run): option parsing, JDK choice, build, classpath.
# The caller sets ROOT (the repository root) first, then calls bench_setup "$@".
#
# Sets: BUILD (Maven build folder, $WEFT_BUILD or target), JAVA, DO_BUILD (0 with --no-build),
# ARGS (every argument but --jdk DIR and --no-build), CP (the classes of every Weft module).
# --jdk DIR picks the JDK; default $JAVA_HOME, else temurin-25 when installed, else `java` on PATH.

bench_setup() {
  BUILD="${WEFT_BUILD:-target}"
  local jdk="${JAVA_HOME:-}"
  [ -z "$jdk" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ] && jdk=/usr/lib/jvm/temurin-25-jdk-amd64
  DO_BUILD=1
  ARGS=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --jdk) jdk="$2"; shift 2 ;;
      --no-build) DO_BUILD=0; shift ;;
      *) ARGS+=("$1"); shift ;;
    esac
  done
  JAVA=java
  [ -n "$jdk" ] && JAVA="$jdk/bin/java"
  local m
  CP="$ROOT/bench/$BUILD/classes"
  for m in engine nn datasets samples zoo; do CP+=":$ROOT/$m/$BUILD/classes"; done
}

# Builds the bench module and everything it depends on (tests skipped); extra Maven arguments pass through.
bench_build() {
  (cd "$ROOT" && mvn -q -B -Dweft.build="$BUILD" -pl bench -am package -Dmaven.test.skip=true "$@")
}
