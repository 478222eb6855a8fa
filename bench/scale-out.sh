#!/usr/bin/env bash
# Scale-out benchmark (issue 6): rollout workers as separate JVMs in one consumer group on one broker; throughput
# with 1..N members (interleaved rounds, medians), then one of two members killed mid-rollout and the exactly-once
# check. Needs a running Docker engine (deploy/docker/ensure-docker.sh).
#   bench/scale-out.sh [rounds, default 3] [max members, default 3]
BENCH_HEAP=1g exec "$(dirname "$0")/main.sh" ScaleOutBenchmark "$@"
