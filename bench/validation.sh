#!/usr/bin/env bash
# Validation benchmark (issue 3): overhead of a full validation vs the same test runs with plain `docker exec`,
# tasks validated per hour, disk and env images per task, on the sample history. Needs a running Docker engine.
#   bench/validation.sh [--rounds N]
exec "$(dirname "$0")/main.sh" ValidationBenchmark "$@"
