#!/usr/bin/env bash
# Makes this machine ready to run SWE-GEN containers, for ./test and for `./r2e demo|swegen|up`: installs Debian's
# docker.io and debootstrap when missing, starts dockerd when no engine answers (a fresh machine has the package but
# no running daemon), and builds the local Python base image once (no registry needed; ~1-3 minutes the first time).
# Skipped entirely when DOCKER_HOST points at a remote engine. Not as root, it uses sudo.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

if [ -n "${DOCKER_HOST:-}" ] && [ "${DOCKER_HOST#unix://}" = "$DOCKER_HOST" ]; then
  exit 0
fi
missing=""
for p in docker.io debootstrap; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ] && ! command -v dockerd >/dev/null 2>&1; then
  echo "Installing:$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq $missing >/dev/null
elif ! command -v debootstrap >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get install -y -qq debootstrap >/dev/null || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq debootstrap >/dev/null; }
fi
if ! $SUDO docker info >/dev/null 2>&1; then
  DOCKERD_LOG="${DOCKERD_LOG:-/tmp/r2e-dockerd.log}"
  echo "Starting dockerd (log: $DOCKERD_LOG)" >&2
  $SUDO sh -c "nohup dockerd >'$DOCKERD_LOG' 2>&1 &"
  deadline=$((SECONDS + 60))
  until $SUDO docker info >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "error: dockerd did not answer within 60 s; last lines of $DOCKERD_LOG:" >&2; tail -n 30 "$DOCKERD_LOG" >&2; exit 1
    fi
    sleep 1
  done
fi
$SUDO "$here/build-python-base.sh" >&2
