#!/usr/bin/env bash
# Regenerates the parser fixture logs in this directory with the real tools, from the small suites in project/.
# Needs python3 with pytest (any 7+); PY310 (a Python < 3.11, optional) produces the pre-3.11 unittest form.
#   PYTHON=python3 PY310=/root/.pyenv/versions/3.10.13/bin/python3 ./make-fixtures.sh
# Timings, the rootdir and platform lines differ between runs; the parsers' tests never depend on them.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
py="${PYTHON:-python3}"
py310="${PY310:-}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$here/project/." "$work/"
cd "$work"
export PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 COLUMNS=120
pytest=("$py" -m pytest -p no:cacheprovider)

# The default recipe's form: summary (-rA) plus one line per test (-v), all files collected.
"${pytest[@]}" -rA -v --continue-on-collection-errors tests > "$here/pytest-rA-v.log" 2>&1 || true
# R2E-Gym's form: summary only, no per-test lines.
"${pytest[@]}" -rA --continue-on-collection-errors tests > "$here/pytest-rA.log" 2>&1 || true
# Coloured output (a tty-forced run): ANSI codes everywhere.
"${pytest[@]}" -rA -v --color=yes --continue-on-collection-errors tests > "$here/pytest-rA-v-color.log" 2>&1 || true
# A collection error without --continue-on-collection-errors: pytest stops before running anything.
"${pytest[@]}" -rA -v tests > "$here/pytest-collection-error.log" 2>&1 || true
# Cut by a time limit in the middle of the run: no summary line.
timeout -s KILL 4 "${pytest[@]}" -rA -v tests_slow > "$here/pytest-timeout.log" 2>&1 || true
# Nothing to run.
mkdir -p empty
"${pytest[@]}" -rA -v empty > "$here/pytest-no-tests.log" 2>&1 || true

# JUnit XML as pytest writes it: xunit2 (default, no file attribute) and xunit1 (file and line attributes).
"${pytest[@]}" -q --continue-on-collection-errors --junitxml="$here/junit-pytest-xunit2.xml" tests > /dev/null 2>&1 || true
"${pytest[@]}" -q --continue-on-collection-errors -o junit_family=xunit1 \
  --junitxml="$here/junit-pytest-xunit1.xml" tests > /dev/null 2>&1 || true

# unittest -v: the 3.11+ form "test_m (pkg.mod.TestC.test_m)" and, with an older Python, "test_m (pkg.mod.TestC)".
(cd ut && "$py" -m unittest -v pkg.test_mod pkg.test_broken > "$here/unittest-py311.log" 2>&1 || true)
if [ -n "$py310" ]; then
  (cd ut && "$py310" -m unittest -v pkg.test_mod pkg.test_broken > "$here/unittest-py310.log" 2>&1 || true)
else
  echo "PY310 not set: unittest-py310.log left as it is" >&2
fi
# unittest cut by a time limit: no "Ran N tests" line.
cat > ut/pkg/test_slow.py <<'PYEOF'
import time
import unittest


class TestSlow(unittest.TestCase):
    def test_a_quick(self):
        pass

    def test_b_sleeps(self):
        time.sleep(60)
PYEOF
(cd ut && timeout -s KILL 4 "$py" -m unittest -v pkg.test_slow > "$here/unittest-timeout.log" 2>&1 || true)
echo "fixtures written to $here"
