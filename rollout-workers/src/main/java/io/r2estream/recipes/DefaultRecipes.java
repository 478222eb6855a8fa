package io.r2estream.recipes;

import io.r2estream.grading.PytestLogParser;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The default recipe for pure-Python repositories, offline-first (no package index is assumed reachable).
 *
 * <p>Install, in {@code $R2E_TESTBED} (the checked-out repository):
 * <ol>
 *   <li>a virtualenv {@code $R2E_HOME/venv} with {@code --system-site-packages --without-pip}: the base image's
 *       apt-installed Python packages (pytest, pip, setuptools) stay visible, installs go into the venv and never
 *       into Debian's externally-managed system Python (so no {@code --break-system-packages}, and one base image
 *       serves every repository unchanged); {@code python -m pip} inside it is the system pip, which installs into
 *       the venv;</li>
 *   <li>each top-level {@code requirements*.txt}, if any, through pip; success or failure per file is appended to
 *       {@code $R2E_HOME/requirements-status} ("none" when there is no such file). A failure (no network) is
 *       recorded, not fatal, unless {@code R2E_STRICT_REQUIREMENTS=1};</li>
 *   <li>when setup.py or pyproject.toml exists, {@code pip install --no-build-isolation --no-deps -e .}; when that
 *       fails and there is a setup.py, {@code setup.py develop --no-deps} (old setuptools projects, or a Python
 *       without the {@code wheel} package that PEP 660 editable builds need with setuptools &lt; 70);</li>
 *   <li>if that failed or there is nothing to install, the fallback: a {@code r2e-testbed.pth} file in the venv's
 *       site-packages puts {@code $R2E_TESTBED} and {@code $R2E_TESTBED/src} (the src layout) on sys.path. A .pth
 *       rather than a PYTHONPATH variable so that every python started in the container gets it, also ones
 *       started with a cleaned environment (subprocess tests, the agent's shell);</li>
 *   <li>{@code $R2E_HOME/install-mode} records {@code editable}, {@code develop} or {@code pythonpath}, and the
 *       script exits 0
 *       in both cases (only a missing Python or testbed fails it).</li>
 * </ol>
 * Test: {@code python -m pytest -rA -v -p no:cacheprovider --continue-on-collection-errors {tests}}: -rA for the
 * summary, -v for per-test lines (skipped tests by id, tests finished before a time limit), no cache files in
 * the testbed, and a test file that cannot be collected at the parent commit does not stop the others.
 * Time limits follow R2E-Gym: 20 minutes to install; 5 minutes per test run (its reward's limit).
 */
public final class DefaultRecipes {

  public static final String DEFAULT_NAME = "default";
  public static final String R2E_HOME = "/r2e";
  public static final String TESTBED = "/testbed";
  /** File in {@link #R2E_HOME} holding {@code editable}, {@code develop} or {@code pythonpath}. */
  public static final String INSTALL_MODE_FILE = "install-mode";
  /** File in {@link #R2E_HOME} with one {@code <file>: installed|failed} line per requirements file, or "none". */
  public static final String REQUIREMENTS_STATUS_FILE = "requirements-status";

  private static final List<String> PYTHON_INSTALL = List.of(
      "R2E_HOME=\"${R2E_HOME:-" + R2E_HOME + "}\"; R2E_TESTBED=\"${R2E_TESTBED:-" + TESTBED + "}\"",
      "R2E_PYTHON=\"${R2E_PYTHON:-python3}\"",
      "mkdir -p \"$R2E_HOME\" && cd \"$R2E_TESTBED\" || { echo \"r2e: no testbed at $R2E_TESTBED\" >&2; exit 1; }",
      "\"$R2E_PYTHON\" -m venv --system-site-packages --without-pip \"$R2E_HOME/venv\""
          + " || { echo \"r2e: cannot create a venv with $R2E_PYTHON\" >&2; exit 1; }",
      "py=\"$R2E_HOME/venv/bin/python\"",
      ": > \"$R2E_HOME/" + REQUIREMENTS_STATUS_FILE + "\"",
      "for req in requirements*.txt; do",
      "  [ -f \"$req\" ] || continue",
      "  if \"$py\" -m pip install -r \"$req\" >> \"$R2E_HOME/requirements.log\" 2>&1; then",
      "    echo \"$req: installed\" >> \"$R2E_HOME/" + REQUIREMENTS_STATUS_FILE + "\"",
      "  else",
      "    echo \"$req: failed\" >> \"$R2E_HOME/" + REQUIREMENTS_STATUS_FILE + "\"",
      "    if [ \"${R2E_STRICT_REQUIREMENTS:-0}\" = 1 ]; then echo \"r2e: $req failed (strict)\" >&2; exit 1; fi",
      "  fi",
      "done",
      "[ -s \"$R2E_HOME/" + REQUIREMENTS_STATUS_FILE + "\" ] || echo none > \"$R2E_HOME/"
          + REQUIREMENTS_STATUS_FILE + "\"",
      "mode=pythonpath",
      "if [ -f setup.py ] || [ -f pyproject.toml ]; then",
      "  if \"$py\" -m pip install --no-build-isolation --no-deps -e . > \"$R2E_HOME/install.log\" 2>&1; then",
      "    mode=editable",
      "  elif [ -f setup.py ] && \"$py\" setup.py develop --no-deps >> \"$R2E_HOME/install.log\" 2>&1; then",
      "    mode=develop",
      "  fi",
      "fi",
      "if [ \"$mode\" = pythonpath ]; then",
      "  site=\"$(\"$py\" -c 'import sysconfig; print(sysconfig.get_paths()[\"purelib\"])')\" || exit 1",
      "  mkdir -p \"$site\" && printf '%s\\n%s\\n' \"$R2E_TESTBED\" \"$R2E_TESTBED/src\" > \"$site/r2e-testbed.pth\"",
      "fi",
      "echo \"$mode\" > \"$R2E_HOME/" + INSTALL_MODE_FILE + "\"",
      "echo \"r2e: install mode $mode; requirements: $(tr '\\n' ' ' < \"$R2E_HOME/" + REQUIREMENTS_STATUS_FILE
          + "\")\"");

  private static final RepositoryRecipe PYTHON = new RepositoryRecipe(DEFAULT_NAME, PYTHON_INSTALL,
      "python -m pytest -rA -v -p no:cacheprovider --continue-on-collection-errors "
          + RepositoryRecipe.TESTS_PLACEHOLDER,
      TestFileRule.r2eGym(), PytestLogParser.NAME,
      Map.of(
          "R2E_HOME", R2E_HOME,
          "R2E_TESTBED", TESTBED,
          "VIRTUAL_ENV", R2E_HOME + "/venv",
          "PATH", R2E_HOME + "/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
          // A log cut by a time limit keeps the lines of the tests that finished.
          "PYTHONUNBUFFERED", "1",
          // No .pyc files in the testbed: they would show up in the agent's diff.
          "PYTHONDONTWRITEBYTECODE", "1",
          "PIP_DISABLE_PIP_VERSION_CHECK", "1",
          "PIP_NO_INPUT", "1",
          "PIP_DEFAULT_TIMEOUT", "20",
          "R2E_STRICT_REQUIREMENTS", "0"),
      Duration.ofMinutes(20), Duration.ofMinutes(5));

  private DefaultRecipes() {
  }

  /** The default pure-Python recipe. */
  public static RepositoryRecipe python() {
    return PYTHON;
  }
}
