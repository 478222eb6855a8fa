#!/usr/bin/env bash
# Rollout benchmark (issue 4): tool-call round trip vs bare docker exec, oracle rollouts per hour.
# Needs a running Docker engine.
#   bench/rollouts.sh
exec "$(dirname "$0")/main.sh" RolloutBenchmark "$@"
