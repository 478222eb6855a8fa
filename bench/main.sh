#!/usr/bin/env bash
# Builds the reactor and runs one benchmark class of the bench module: bench/main.sh <SimpleClassName> [args...].
# The documented entry points are run.sh (ingestion and selection), validation.sh and rollouts.sh.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
main="$1"
shift
./mvnw -q -DskipTests package
exec java -Xmx${BENCH_HEAP:-2g} \
  -Dorg.apache.avro.SERIALIZABLE_PACKAGES=java.lang,java.math,java.io,java.net,org.apache.avro.util,io.r2estream \
  -cp "bench/target/bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt)" \
  "io.r2estream.bench.$main" "$@"
