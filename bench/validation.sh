#!/usr/bin/env bash
# Validation benchmark (issue 3): overhead of a full validation vs the same test runs with plain `docker exec`,
# tasks validated per hour, disk and env images per task, on the sample history. Needs a running Docker engine.
#   bench/validation.sh [--rounds N]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
./mvnw -q -DskipTests package
exec java -Xmx2g \
  -Dorg.apache.avro.SERIALIZABLE_PACKAGES=java.lang,java.math,java.io,java.net,org.apache.avro.util,io.r2estream \
  -cp "bench/target/bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt)" \
  io.r2estream.bench.ValidationBenchmark "$@"
