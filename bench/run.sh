#!/bin/sh
# Ingestion benchmark: builds the reactor, generates a synthetic Python history once into bench/out/ (git
# fast-import), then measures side by side, alternating, 3 rounds each:
#   (a) git log -p over the history into a null sink, (b) CommitScanner alone (events built and serialized),
#   (c) scan + publish to an embedded Kafka broker.
# Prints a table and writes bench/out/results.md.
#
# Usage: bench/run.sh [--commits N] [--rounds R] [--threads T] [--warmup N]
#        (defaults: 20000 commits, 3 rounds, 2 render threads, untimed warm-up scan of the newest 2000 commits)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
./mvnw -q -DskipTests package
exec java -Xmx2g \
  -Dorg.apache.avro.SERIALIZABLE_PACKAGES=java.lang,java.math,java.io,java.net,org.apache.avro.util,io.r2estream \
  -cp "bench/target/bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt)" \
  io.r2estream.bench.IngestBenchmark --out "$root/bench/out" "$@"
