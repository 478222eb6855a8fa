#!/usr/bin/env bash
# Ranking topology benchmark (issue 5): score events/s through HybridRankingTopology on an embedded broker, and the
# latency from a task's last score to its updated ranking being readable (read_committed).
#   bench/rankings.sh [--tasks 2000] [--k 8] [--rounds 3] [--latency-samples 100]
exec "$(dirname "$0")/main.sh" RankingBenchmark "$@"
