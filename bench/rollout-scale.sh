#!/usr/bin/env bash
# Rollout scale benchmark (issue 4), in a JVM with a 1 GiB heap: rollouts per hour with a scripted LLM in the loop
# (2 at once), then heap per concurrent rollout with 32 rollouts in flight in one rollout worker (embedded broker in
# the same JVM). Needs a running Docker engine (deploy/docker/ensure-docker.sh).
#   bench/rollout-scale.sh [all|scripted|scale]
BENCH_HEAP=1g exec "$(dirname "$0")/main.sh" RolloutScaleBenchmark "$@"
