package io.r2estream.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.r2estream.grading.ParsedLog;
import io.r2estream.grading.TestLogParsers;
import io.r2estream.grading.TestStatus;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the default recipe's install script for real with bash and a host Python (offline: no package index), in
 * temp copies of two tiny packages, then its test command: the fallback path (the package cannot be built) and the
 * editable path both end with pytest importing the package. Fails, never skips, without a Python that has pytest.
 */
class DefaultRecipeInstallTest {

  private static final long LIMIT_SECONDS = 180;

  private record Run(int exit, String output) {
  }

  /** The Debian python the env images use when it has pytest here, else the python3 on PATH. */
  private static String pythonWithPytest() throws Exception {
    for (final String candidate : List.of("/usr/bin/python3", "python3")) {
      try {
        if (run(List.of(candidate, "-c", "import pytest"), new File("."), Map.of()).exit() == 0) {
          return candidate;
        }
      } catch (final IOException notThere) {
        // try the next candidate
      }
    }
    return fail("No python3 with pytest on this machine: the default recipe cannot be checked");
  }

  private static Run run(final List<String> cmd, final File dir, final Map<String, String> env) throws Exception {
    final ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir).redirectErrorStream(true);
    pb.environment().putAll(env);
    final Process p = pb.start();
    final byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("Timed out: " + cmd);
    }
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  /** The recipe's environment with the container paths replaced by the temp dirs. */
  private static Map<String, String> env(final Path home, final Path testbed, final String python) {
    final Map<String, String> env = new HashMap<>(DefaultRecipes.python().env());
    env.put("R2E_HOME", home.toString());
    env.put("R2E_TESTBED", testbed.toString());
    env.put("R2E_PYTHON", python);
    env.put("VIRTUAL_ENV", home.resolve("venv").toString());
    env.put("PATH", home.resolve("venv/bin") + File.pathSeparator + System.getenv("PATH"));
    return env;
  }

  private static Run install(final Path home, final Path testbed, final String python) throws Exception {
    final Path script = home.getParent().resolve("install.sh");
    Files.writeString(script, DefaultRecipes.python().installScript());
    return run(List.of("bash", script.toString()), testbed.toFile(), env(home, testbed, python));
  }

  private static ParsedLog testRun(final Path home, final Path testbed, final String python,
      final String testFile) throws Exception {
    final RepositoryRecipe r = DefaultRecipes.python();
    final Run t = run(List.of("bash", "-c", r.testCommand(List.of(testFile))), testbed.toFile(),
        env(home, testbed, python));
    assertEquals(0, t.exit(), t.output());
    return TestLogParsers.get(r.logParser()).parse(t.output());
  }

  @Test
  void unbuildablePackageFallsBackToPythonPathAndRecordsTheFailedRequirements(@TempDir final Path tmp)
      throws Exception {
    final String python = pythonWithPytest();
    final Path testbed = Files.createDirectories(tmp.resolve("testbed"));
    final Path home = tmp.resolve("r2e");
    // A build backend nobody has: pip install -e fails offline, as a real repo with unmet build deps would.
    Files.writeString(testbed.resolve("pyproject.toml"), "[build-system]\nrequires = [\"r2e_missing_backend\"]\n"
        + "build-backend = \"r2e_missing_backend\"\n[project]\nname = \"tinypkg\"\nversion = \"0.1\"\n");
    Files.writeString(testbed.resolve("requirements.txt"), "r2e-no-such-distribution==9.9.9\n");
    Files.createDirectories(testbed.resolve("src/tinypkg"));
    Files.writeString(testbed.resolve("src/tinypkg/__init__.py"), "def answer():\n    return 42\n");
    Files.createDirectories(testbed.resolve("tests"));
    Files.writeString(testbed.resolve("tests/test_tiny.py"),
        "import tinypkg\n\n\ndef test_answer():\n    assert tinypkg.answer() == 42\n");

    final Run installed = install(home, testbed, python);

    assertEquals(0, installed.exit(), installed.output());
    assertEquals("pythonpath", Files.readString(home.resolve(DefaultRecipes.INSTALL_MODE_FILE)).strip());
    assertEquals("requirements.txt: failed",
        Files.readString(home.resolve(DefaultRecipes.REQUIREMENTS_STATUS_FILE)).strip());
    assertTrue(installed.output().contains("r2e: install mode pythonpath"), installed.output());
    final ParsedLog log = testRun(home, testbed, python, "tests/test_tiny.py");
    assertEquals(new ParsedLog(Map.of("tests/test_tiny.py::test_answer", TestStatus.PASSED), true), log);
    // The .pth works for any python started from the venv, outside the testbed too.
    final Run outside = run(List.of(home.resolve("venv/bin/python").toString(), "-c",
        "import tinypkg; print(tinypkg.__file__)"), tmp.toFile(), env(home, testbed, python));
    assertEquals(0, outside.exit(), outside.output());
    assertTrue(outside.output().strip().endsWith("src/tinypkg/__init__.py"), outside.output());
  }

  @Test
  void strictRequirementsFailTheInstall(@TempDir final Path tmp) throws Exception {
    final String python = pythonWithPytest();
    final Path testbed = Files.createDirectories(tmp.resolve("testbed"));
    final Path home = tmp.resolve("r2e");
    Files.writeString(testbed.resolve("requirements-dev.txt"), "r2e-no-such-distribution==9.9.9\n");
    final Path script = tmp.resolve("install.sh");
    Files.writeString(script, DefaultRecipes.python().installScript());
    final Map<String, String> env = env(home, testbed, python);
    env.put("R2E_STRICT_REQUIREMENTS", "1");
    final Run r = run(List.of("bash", script.toString()), testbed.toFile(), env);
    assertEquals(1, r.exit(), r.output());
    assertTrue(r.output().contains("r2e: requirements-dev.txt failed (strict)"), r.output());
  }

  @Test
  void buildablePackageIsInstalledNotFallenBack(@TempDir final Path tmp) throws Exception {
    final String python = pythonWithPytest();
    final Path testbed = Files.createDirectories(tmp.resolve("testbed"));
    final Path home = tmp.resolve("r2e");
    Files.writeString(testbed.resolve("setup.py"),
        "from setuptools import setup\n\nsetup(name='tinyflat', version='0.1', packages=['tinyflat'])\n");
    Files.createDirectories(testbed.resolve("tinyflat"));
    Files.writeString(testbed.resolve("tinyflat/__init__.py"), "VALUE = 'flat'\n");
    Files.createDirectories(testbed.resolve("tests"));
    Files.writeString(testbed.resolve("tests/test_flat.py"),
        "import tinyflat\n\n\ndef test_value():\n    assert tinyflat.VALUE == 'flat'\n");

    final Run installed = install(home, testbed, python);

    assertEquals(0, installed.exit(), installed.output() + readOrEmpty(home.resolve("install.log")));
    // PEP 660 editable where the wheel package is present (Debian's python3-pip pulls it in), setup.py develop
    // where it is not (this machine's pyenv Python): either way an install, not the sys.path fallback.
    final String mode = Files.readString(home.resolve(DefaultRecipes.INSTALL_MODE_FILE)).strip();
    assertTrue(List.of("editable", "develop").contains(mode), mode + "\n" + readOrEmpty(home.resolve("install.log")));
    assertEquals("none", Files.readString(home.resolve(DefaultRecipes.REQUIREMENTS_STATUS_FILE)).strip());
    final List<Path> pth = new ArrayList<>();
    try (var walk = Files.walk(home.resolve("venv"))) {
      walk.filter(p -> p.getFileName().toString().equals("r2e-testbed.pth")).forEach(pth::add);
    }
    assertEquals(List.of(), pth, "the editable path needs no sys.path fallback");
    assertEquals(new ParsedLog(Map.of("tests/test_flat.py::test_value", TestStatus.PASSED), true),
        testRun(home, testbed, python, "tests/test_flat.py"));
    final Run outside = run(List.of(home.resolve("venv/bin/python").toString(), "-c",
        "import tinyflat; print(tinyflat.__file__)"), tmp.toFile(), env(home, testbed, python));
    assertEquals(0, outside.exit(), outside.output());
    assertTrue(outside.output().strip().endsWith("testbed/tinyflat/__init__.py"), outside.output());
  }

  private static String readOrEmpty(final Path p) throws IOException {
    return Files.exists(p) ? Files.readString(p) : "";
  }
}
