#!/usr/bin/env bash
# Checks the sample project's history with pytest: the whole suite passes at every commit, and for every commit
# expected to be a SWE-GEN candidate, the commit's changed test files fail on the parent's code (the fail-to-pass
# evidence SWE-GEN looks for) and pass on the commit's own code.
#
# Usage: samples/check-sample-project.sh REPO_DIR   (a repository built by make-sample-project.sh, or a clone of
#        samples/sample-project.bundle with samples/expected-funnel.tsv next to this script)
# Needs python3 with pytest >= 7.
set -euo pipefail

[ $# = 1 ] || { echo "usage: $0 REPO_DIR" >&2; exit 2; }
REPO=$(cd "$1" && pwd)
FUNNEL=$REPO/.git/expected-funnel.tsv
[ -f "$FUNNEL" ] || FUNNEL=$(cd "$(dirname "$0")" && pwd)/expected-funnel.tsv
WORK=$(mktemp -d)
trap 'git -C "$REPO" worktree remove --force "$WORK/tree" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
git -C "$REPO" worktree add -q --detach "$WORK/tree"
cd "$WORK/tree"
export PYTHONDONTWRITEBYTECODE=1

pytest_quiet() { python3 -m pytest -q -p no:cacheprovider "$@" > "$WORK/log" 2>&1; }

failures=0
fail() { echo "FAIL $1"; failures=$((failures + 1)); }

while IFS=$'\t' read -r sha subject expected _; do
  [ "$sha" = sha ] && continue
  [ "$expected" = skipped_merge ] && continue
  git checkout -q --force "$sha"
  git clean -q -fdx
  if ! pytest_quiet; then
    fail "$sha $subject: the suite does not pass at the commit"
    continue
  fi
  [ "$expected" = candidate ] || { echo "ok   ${sha:0:10} $subject (suite passes)"; continue; }
  tests=$(git diff --name-only "$sha^" "$sha" -- 'tests/test_*.py')
  non_tests=$(git diff --name-only "$sha^" "$sha" -- . ':!tests')
  # Parent's code, commit's tests.
  git checkout -q "$sha^" -- $non_tests
  # shellcheck disable=SC2086
  if pytest_quiet $tests; then
    fail "$sha $subject: the new tests already pass on the parent's code"
  else
    echo "ok   ${sha:0:10} $subject (fails on parent: $(grep -c '^FAILED' "$WORK/log") test(s); passes at commit)"
  fi
  git checkout -q --force "$sha"
done < "$FUNNEL"

[ "$failures" = 0 ] || { echo "$failures check(s) failed"; exit 1; }
echo "all checks passed"
