#!/usr/bin/env bash
# Rollout benchmark (issue 4): tool-call round trip vs bare docker exec, oracle rollouts per hour.
# Needs a running Docker engine.
#   bench/rollouts.sh
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
./mvnw -q -DskipTests package
exec java -Xmx2g \
  -Dorg.apache.avro.SERIALIZABLE_PACKAGES=java.lang,java.math,java.io,java.net,org.apache.avro.util,io.r2estream \
  -cp "bench/target/bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt)" \
  io.r2estream.bench.RolloutBenchmark "$@"
