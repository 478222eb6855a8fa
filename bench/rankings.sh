#!/usr/bin/env bash
# Ranking topology benchmark (issue 5): score events/s through HybridRankingTopology on an embedded broker, and the
# latency from a task's last score to its updated ranking being readable (read_committed).
#   bench/rankings.sh [--tasks 4000] [--k 8] [--rounds 5] [--latency-samples 100]
# 96,000 input events per round: fewer weigh start-up (group join, changelog topics, RocksDB) and JIT more than the
# topology; the first round runs cold, hence the median over five.
exec "$(dirname "$0")/main.sh" RankingBenchmark "$@"
