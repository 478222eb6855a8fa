#!/usr/bin/env bash
# Builds the local Python base image that environment images start FROM, without any image registry:
# debootstrap a minimal Debian bookworm with Python, pytest, git and patch, give git an identity, and
# `docker import` the root filesystem. Idempotent: exits at once when the image already exists.
# Keep the tag and package list in step with io.r2estream.runtime.images.PythonBaseImage (the Java twin).
# Usage: build-python-base.sh [tag]   (needs root, docker and debootstrap)
set -euo pipefail

TAG="${1:-r2e-base/python:bookworm}"
SUITE=bookworm
PACKAGES=python3,python3-pytest,python3-pip,python3-venv,python3-setuptools,python3-wheel,git,patch,ca-certificates

if docker image inspect "$TAG" >/dev/null 2>&1; then
  echo "base image $TAG already present"
  exit 0
fi
[ "$(id -u)" -eq 0 ] || { echo "error: debootstrap needs root (running as uid $(id -u))"; exit 1; }
command -v debootstrap >/dev/null || { echo "error: debootstrap is not installed (apt-get install debootstrap)"; exit 1; }

ROOTFS="$(mktemp -d /tmp/r2e-base-rootfs.XXXXXX)"
trap 'rm -rf --one-file-system "$ROOTFS"' EXIT
echo "debootstrapping $SUITE into $ROOTFS (about a minute)"
debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$ROOTFS" >"$ROOTFS.log" 2>&1 \
  || { tail -n 40 "$ROOTFS.log"; rm -f "$ROOTFS.log"; echo "error: debootstrap of $SUITE failed"; exit 1; }
rm -f "$ROOTFS.log"
# Patches are applied and diffs taken with git inside containers; commits need an identity.
chroot "$ROOTFS" git config --system user.email r2e@r2estream.local
chroot "$ROOTFS" git config --system user.name r2e-stream
chroot "$ROOTFS" git config --system --add safe.directory '*'
# Package caches are dead weight in every layer built on top.
rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/*
tar -C "$ROOTFS" -c . | docker import - "$TAG" >/dev/null
echo "built base image $TAG"
