#!/usr/bin/env bash
# Smoke run of the distributed deployment: builds the images with the project's build, starts
# deploy/docker-compose.yml (Kafka in KRaft mode, schema registry, PostgreSQL, distributed Connect + connector
# registration, streams, back-translator, SWE-GEN workers, dashboard; rollout workers with --with-rollout),
# ingests the sample repository from this host through the published Kafka port, and waits until the PostgreSQL
# sink has task rows, the dataset sink has written task files and the dashboard counts the same tasks.
# Exits non-zero with the failing step and the containers' logs. Tears everything down (volumes too) at the end.
# Usage: bash deploy/compose-smoke.sh [--no-maven] [--keep] [--with-rollout]   (root or the docker group; ~4-6 min)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
maven_flag=""
keep=0
rollout=0
services=(kafka postgres registry connect connectors streams back-translator swe-gen dashboard)
for a in "$@"; do
  case "$a" in
    --no-maven) maven_flag="--no-maven" ;;
    --keep) keep=1 ;;
    --with-rollout) services+=(rollout); rollout=1 ;;
    *) echo "usage: compose-smoke.sh [--no-maven] [--keep] [--with-rollout]" >&2; exit 2 ;;
  esac
done
command -v docker-compose >/dev/null || { echo "error: docker-compose is not installed (apt-get install docker-compose)" >&2; exit 1; }

start=$SECONDS
step() { printf '[%4d s] %s\n' "$((SECONDS - start))" "$*"; }
work="$(mktemp -d /tmp/r2e-compose-smoke.XXXXXX)"
export COMPOSE_PROJECT_NAME="r2esmoke$$"
export REPOS_DIR="$work/repos"
# A throwaway secret: it must reach PostgreSQL and the Connect worker, never a topic (checked below).
export R2E_JDBC_PASSWORD="smoke-$RANDOM$RANDOM"
compose() { docker-compose -f "$here/docker-compose.yml" "$@"; }
fail() {
  echo "FAILED: $*" >&2
  compose ps >&2 || true
  compose logs --no-color --tail=40 >&2 || true
  exit 1
}
cleanup() {
  if [ "$keep" -eq 0 ]; then
    # Task containers the workers started on the host's engine carry their owner (worker container's hostname).
    local ids; ids="$(compose ps -q 2>/dev/null | cut -c1-12 | paste -sd'|' -)"
    compose down -v --remove-orphans >/dev/null 2>&1 || true
    if [ -n "$ids" ]; then
      docker ps -a --filter label=io.r2estream.managed=true --format '{{.ID}} {{.Label "io.r2estream.owner"}}' \
        | grep -E "@($ids):" | awk '{print $1}' | xargs -r docker rm -f >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
  else
    echo "kept: COMPOSE_PROJECT_NAME=$COMPOSE_PROJECT_NAME R2E_JDBC_PASSWORD=$R2E_JDBC_PASSWORD REPOS_DIR=$REPOS_DIR"
  fi
}
trap cleanup EXIT
# `wait_for <seconds> <what> <command...>`: polls the command every 2 s until it succeeds or the deadline passes.
wait_for() {
  local limit="$1" what="$2"; shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || fail "$what: not within ${limit} s"
    sleep 2
  done
  step "$what"
}

step "building images"
bash "$here/docker/build-images.sh" $maven_flag 2>&1 | grep -E '^(built|images|error)' || true
step "starting ${services[*]}"
compose up -d "${services[@]}" >/dev/null 2>&1 || fail "docker-compose up"

# The one-shot registration exits 0 once both sinks run (its own deadline is 3 minutes).
registered() { [ "$(docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$(compose ps -q connectors)")" = "exited 0" ]; }
registration_failed() { docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$(compose ps -q connectors)" | grep -qv '^exited 0$\|^running\|^created'; }
deadline=$((SECONDS + 240))
until registered; do
  registration_failed && fail "connector registration: $(compose logs --no-color connectors | tail -n 5)"
  [ "$SECONDS" -lt "$deadline" ] || fail "connector registration: not within 240 s"
  sleep 2
done
step "connectors registered: $(compose logs --no-color connectors | grep -c RUNNING) running"

# Ingest from this host through the published listener (127.0.0.1:29092) and registry (127.0.0.1:28081), with the
# r2e CLI of the image on the host's network (no host JDK or rebuild needed). Workers open the repository at the path
# it was ingested from: REPOS_DIR is mounted at the same path in their containers.
git clone -q "$root/samples/sample-project.bundle" "$REPOS_DIR/textkit"
version="$(sed -n 's:.*<parent>.*<version>\(.*\)</version>.*</parent>.*:\1:p' "$root/deploy/pom.xml" | head -n 1)"
step "ingesting the sample repository"
docker run --rm --network host -v "$REPOS_DIR:$REPOS_DIR:ro" "r2e/platform:$version" \
  -D r2e.kafka.bootstrap-servers=127.0.0.1:29092 -D r2e.registry.url=http://127.0.0.1:28081 \
  ingest "$REPOS_DIR/textkit" --repo-id sample/textkit | grep -a '^Ingested' \
  || fail "r2e ingest against the published Kafka port"

# Over the container's local socket (trusted inside it only); the network side needs the password.
sql() { compose exec -T postgres psql -h /run/postgresql -U r2e -d r2e -tA -c "$1" 2>/dev/null; }
task_rows() { [ "$(sql 'SELECT count(*) FROM r2e.tasks' || echo 0)" -gt 0 ]; }
wait_for 300 "PostgreSQL sink: rows in r2e.tasks" task_rows
tasks="$(sql 'SELECT count(*) FROM r2e.tasks')"
step "r2e.tasks has $tasks rows"

if [ "$rollout" -eq 1 ]; then
  # One rollout of the oracle agent (the task's own patch: no LLM) by the rollout worker container, followed by the
  # CLI until its trajectory arrives; the PostgreSQL sink then stores it.
  task="$(sql 'SELECT instance_id FROM r2e.tasks ORDER BY instance_id LIMIT 1')"
  step "requesting an oracle rollout of $task"
  docker run --rm --network host "r2e/platform:$version" -D r2e.kafka.bootstrap-servers=127.0.0.1:29092 \
    -D r2e.registry.url=http://127.0.0.1:28081 rollout --model oracle --k 1 --tasks "^$task\$" --timeout PT5M \
    | grep -E 'resolved|Requested' || fail "the rollout worker did not deliver the trajectory"
  trajectory_rows() { [ "$(sql 'SELECT count(*) FROM r2e.trajectories' || echo 0)" -gt 0 ]; }
  wait_for 120 "PostgreSQL sink: the trajectory in r2e.trajectories" trajectory_rows
fi

dataset_files() { compose exec -T connect bash -c 'ls /var/lib/r2e/datasets/*/ 2>/dev/null | grep -q .'; }
wait_for 120 "dataset sink wrote files" dataset_files

dashboard_counts() {
  curl -fsS http://127.0.0.1:8090/api/tasks | python3 -c "import json,sys; sys.exit(0 if len(json.load(sys.stdin)) >= $tasks else 1)"
}
wait_for 120 "dashboard lists the $tasks tasks" dashboard_counts

# The JDBC password reached PostgreSQL and the worker's environment only: the Connect config topic holds the reference.
if compose exec -T kafka bash -c "grep -rqa -- '$R2E_JDBC_PASSWORD' /var/lib/r2e/kafka/logs"; then
  fail "the JDBC password is stored in a Kafka topic"
fi
compose exec -T kafka bash -c "grep -rqa -- 'env:R2E_JDBC_PASSWORD' /var/lib/r2e/kafka/logs/r2e-connect-configs-0" \
  || fail "the Connect config topic does not hold the password reference"
step "no secret in any topic"
step "smoke run passed in $((SECONDS - start)) s"
