#!/bin/sh
# Ingestion and SWE-GEN topology benchmark: builds the reactor, generates a synthetic Python history once into
# bench/out/ (git fast-import; reused by later runs), then measures R rounds of each stage and reports medians:
#   ingestion, stages alternating on one embedded broker:
#     (a) git log -p over the history into a null sink, (b) CommitScanner alone (events built and serialized),
#     (c) scan + publish to the embedded broker;
#   SWE-GEN, stages alternating on a fresh broker + embedded schema registry holding one copy of the events:
#     (d) CommitSelector.select over the scanned events in memory (1 thread), default (tokens) parser,
#     (e) the same with the tree-sitter parser, the reference: its decisions must equal (d)'s commit by commit,
#     (f) the real EnvGenerationTopology under exactly_once_v2 (2 stream threads, fresh application id per
#         round), timed from KafkaStreams.start() until every decision is readable with read_committed.
# Prints a table (commits/s; ratio to git log -p for ingestion) and writes bench/out/results.md.
#
# Usage: bench/run.sh [--commits N] [--rounds R] [--threads T] [--warmup N]
#   --commits N  history length (default 20000; another N needs a fresh bench/out/history.git)
#   --rounds R   rounds per stage (default 3)
#   --threads T  scanner render threads (default 2)
#   --warmup N   untimed warm-up of scan, scan + publish and selector over the newest N commits, and one untimed
#                topology round (default 2000; 0 = no warm-up)
# Needs ~2.5 GB of heap (BENCH_HEAP=3g below) and a few minutes on 2 cores.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
BENCH_HEAP=3g exec "$root/bench/main.sh" IngestBenchmark --out "$root/bench/out" "$@"
