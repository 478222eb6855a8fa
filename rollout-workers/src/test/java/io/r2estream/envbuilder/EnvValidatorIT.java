package io.r2estream.envbuilder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.avro.EnvCandidate;
import io.r2estream.avro.EnvValidation;
import io.r2estream.avro.TestRun;
import io.r2estream.avro.ValidationStatus;
import io.r2estream.recipes.RecipeRegistry;
import io.r2estream.runtime.Container;
import io.r2estream.runtime.ContainerSpec;
import io.r2estream.runtime.DockerContainerRuntime;
import io.r2estream.runtime.ExecRequest;
import io.r2estream.runtime.ResourceLimits;
import io.r2estream.runtime.images.PythonBaseImage;
import io.r2estream.testkit.TestRepo;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Validation against the real Docker engine: the sample project's candidates, then repositories built to fail in
 * each way the issue lists (install fails, tests hang, tests kill the container, patch does not apply).
 */
class EnvValidatorIT {

  private static final String OWNER = "r2e-test-envvalidator";
  private static DockerContainerRuntime runtime;
  private static String base;
  @TempDir
  static Path tmp;
  private static List<EnvCandidate> sample;

  @BeforeAll
  static void setUp() throws Exception {
    runtime = new DockerContainerRuntime(OWNER);
    runtime.reapLeaked(OWNER);
    base = new PythonBaseImage(runtime).ensure();
    sample = SampleCandidates.of(SampleCandidates.sampleProject(tmp.resolve("textkit")), "textkit-it");
  }

  @AfterAll
  static void tearDown() {
    runtime.reapLeaked(OWNER);
    runtime.close();
  }

  private static EnvValidator validator(final Map<String, String> recipeOverrides, final boolean ablation) {
    return new EnvValidator(runtime, new EnvImages(runtime, PythonBaseImage.DEFAULT_TAG,
        new ResourceLimits(2, 2L << 30, 2048)), new TaskMaterializer(runtime, ResourceLimits.defaults()),
        RecipeRegistry.fromConfig(recipeOverrides), new EnvValidator.Settings(3, ablation, tmp.resolve("cache"),
        PythonBaseImage.DEFAULT_TAG, OWNER), Clock.systemUTC());
  }

  @Test
  void sampleCandidatesBecomeValidatedTasksWhoseGoldPatchResolvesThem() {
    final EnvCandidate wrap = candidate("wrap: allow a line to fill the whole width");
    final EnvCandidate slug = candidate("slugify: default separator");
    final EnvValidator v = validator(Map.of(), true);
    final EnvValidation first = v.validate(wrap);
    assertEquals(ValidationStatus.NEW_COMMIT_BETTER, first.getStatus(), first.getDetail());
    assertTrue(first.getGoldPatchResolves());
    assertFalse(first.getFailToPass().isEmpty());
    assertTrue(first.getFailToPass().stream().allMatch(t -> t.startsWith("tests/")), "file-qualified ids");
    assertEquals(3, first.getOldRuns().size());
    assertEquals(3, first.getNewRuns().size());
    assertTrue(first.getNewRuns().stream().allMatch(TestRun::getSuiteRan));
    assertTrue(first.getOldRuns().stream().allMatch(r -> r.getExitCode() != 0), "the parent fails its hidden tests");
    assertEquals(0, first.getNewRuns().get(0).getExitCode());
    assertTrue(first.getRelevantFilesChecked());
    assertEquals(List.of("textkit/wrap.py"), first.getRelevantFiles());
    assertTrue(first.getDiskBytes() > 0 && first.getDiskBytes() < 5L << 20, "new disk " + first.getDiskBytes());

    final EnvValidation second = v.validate(slug);
    assertEquals(ValidationStatus.NEW_COMMIT_BETTER, second.getStatus(), second.getDetail());
    assertEquals(first.getEnvironment().getImage(), second.getEnvironment().getImage(),
        "same dependency fingerprint, same env image");
    assertFalse(second.getEnvImageBuilt(), "the env image is reused");
  }

  @Test
  void theFixCannotBeReadFromGitInsideATaskContainer() throws Exception {
    final EnvCandidate c = candidate("wrap: truncate() must not exceed width");
    final EnvImages images = new EnvImages(runtime, PythonBaseImage.DEFAULT_TAG, new ResourceLimits(2, 2L << 30, 2048));
    try (HostRepository repo = HostRepository.open(c.getRepository(), c.getSourceUrl(), tmp)) {
      final EnvImage image = images.ensure(repo, RecipeRegistry.fromConfig(Map.of()).forRepository(c.getRepository()),
          c.getParentSha());
      final Container ctr = new TaskMaterializer(runtime, ResourceLimits.defaults()).start(image, repo,
          c.getParentSha(), "r2e-leak-", Map.of());
      try {
        final String out = runtime.exec(ctr, ExecRequest.of("cd /testbed && git rev-parse HEAD && "
            + "(git cat-file -e " + c.getCommitSha() + " 2>/dev/null && echo FIX-VISIBLE || echo fix-absent) && "
            + "git remote | wc -l && git for-each-ref | wc -l && git reflog | wc -l && git log --oneline | wc -l",
            Duration.ofSeconds(30))).output();
        final List<String> lines = out.lines().toList();
        assertEquals(c.getParentSha(), lines.get(0));
        assertEquals("fix-absent", lines.get(1));
        assertEquals("0", lines.get(2).strip(), "no remotes");
        assertEquals("1", lines.get(3).strip(), "only refs/heads/main");
        assertEquals("0", lines.get(4).strip(), "no reflog");
        assertTrue(Integer.parseInt(lines.get(5).strip()) > 1, "history up to the base commit is kept");
      } finally {
        runtime.remove(ctr);
      }
    }
  }

  @Test
  void aCommitOlderThanTheImageSnapshotIsMaterialisedWithoutAnyOfItsFuture() throws Exception {
    final Path dir = tmp.resolve("older");
    final String a;
    final String b;
    final String c;
    try (TestRepo r = TestRepo.init(dir)) {
      a = r.write("setup.py", "from setuptools import setup\nsetup(name='older', version='1')\n")
          .write("older/__init__.py", "X = 1\n").commit("a").name();
      b = r.write("requirements.txt", "\n").write("older/__init__.py", "X = 2\n").commit("b: a new manifest").name();
      c = r.write("older/__init__.py", "X = 3\n").commit("c").name();
    }
    final EnvImages images = new EnvImages(runtime, PythonBaseImage.DEFAULT_TAG, new ResourceLimits(2, 2L << 30, 2048));
    try (HostRepository repo = HostRepository.open("older", dir.toString(), tmp)) {
      final EnvImage image = images.ensure(repo, RecipeRegistry.defaults().forRepository("older"), c);
      assertEquals(b, image.rootSha(), "the image holds the last commit that changed a manifest");
      final Container ctr = new TaskMaterializer(runtime, ResourceLimits.defaults()).start(image, repo, a,
          "r2e-older-", Map.of());
      try {
        final String out = runtime.exec(ctr, ExecRequest.of("cd /testbed && git rev-parse HEAD && cat older/__init__.py"
            + " && (git cat-file -e " + b + " 2>/dev/null && echo FUTURE-VISIBLE || echo future-absent)"
            + " && ls requirements.txt 2>/dev/null | wc -l", Duration.ofSeconds(30))).output();
        assertEquals(List.of(a, "X = 1", "future-absent", "0"), out.lines().map(String::strip).toList());
      } finally {
        runtime.remove(ctr);
      }
    }
  }

  @Test
  void aPatchThatDoesNotApplyIsRecorded() {
    final EnvCandidate c = EnvCandidate.newBuilder(candidate("wrap: allow a line to fill the whole width"))
        .setCodePatch("diff --git a/textkit/wrap.py b/textkit/wrap.py\n--- a/textkit/wrap.py\n+++ b/textkit/wrap.py\n"
            + "@@ -1,3 +1,3 @@\n-no such line here\n+replacement\n context that is not there\n").build();
    final EnvValidation v = validator(Map.of(), false).validate(c);
    assertEquals(ValidationStatus.PATCH_DOES_NOT_APPLY, v.getStatus(), v.getDetail());
    assertTrue(v.getDetail().contains("does not apply"), v.getDetail());
  }

  @Test
  void faultsEndWithARecordedReason() throws Exception {
    final Path dir = tmp.resolve("faulty");
    final Map<String, String> shas = new HashMap<>();
    try (TestRepo r = TestRepo.init(dir)) {
      r.write("calc/__init__.py", "").write("calc/ops.py", "def add(a, b):\n    return a - b\n\n\ndef neg(a):\n    return -a\n")
          .write("tests/test_ops.py", "from calc.ops import add, neg\n\n\ndef test_neg():\n    assert neg(2) == -2\n");
      r.commit("Initial import");
      r.write("calc/ops.py", "def add(a, b):\n    return a + b\n\n\ndef neg(a):\n    return -a\n")
          .write("tests/test_ops.py", "import time\nfrom calc.ops import add, neg\n\n\ndef test_neg():\n    assert neg(2) == -2\n"
              + "\n\ndef test_add_fix():\n    time.sleep(3600)\n    assert add(1, 2) == 3\n");
      shas.put("hang", r.commit("ops: fix add (test hangs)").name());
      r.write("calc/ops.py", "def add(a, b):\n    return a + b\n\n\ndef neg(a):\n    return 0 - a\n")
          .write("tests/test_ops.py", "import os\nfrom calc.ops import add, neg\n\n\ndef test_neg():\n    assert neg(2) == -2\n"
              + "\n\ndef test_neg_kill():\n    os.system('kill -9 -1')\n    assert neg(1) == -1\n");
      shas.put("crash", r.commit("ops: neg (test kills every process)").name());
    }
    final List<EnvCandidate> all = SampleCandidates.of(dir, "faulty");
    final Map<String, String> overrides = Map.of("r2e.recipes.faulty.test-timeout", "5");
    final EnvCandidate hang = all.stream().filter(c -> c.getCommitSha().equals(shas.get("hang"))).findFirst()
        .orElseThrow();
    final EnvValidation hung = validator(overrides, false).validate(hang);
    assertEquals(ValidationStatus.INFRA_ERROR, hung.getStatus(), hung.getDetail());
    assertEquals("TIMEOUT", hung.getInfraFailure());
    assertTrue(hung.getNewRuns().get(0).getTimedOut());

    final EnvCandidate crash = all.stream().filter(c -> c.getCommitSha().equals(shas.get("crash"))).findFirst()
        .orElseThrow();
    final EnvValidation crashed = validator(overrides, false).validate(crash);
    assertTrue(crashed.getStatus() == ValidationStatus.FAIL_AT_TEST_RUN
        || crashed.getStatus() == ValidationStatus.NEW_COMMIT_NOT_BETTER, crashed.getStatus() + " " + crashed.getDetail());
    assertFalse(crashed.getDetail().isBlank());

    final Map<String, String> broken = Map.of("r2e.recipes.faulty.install", "echo cannot build >&2; exit 3");
    final EnvValidation setup = validator(broken, false).validate(hang);
    assertEquals(ValidationStatus.FAIL_AT_SETUP, setup.getStatus(), setup.getDetail());
    assertTrue(setup.getDetail().contains("cannot build"), setup.getDetail());
    assertEquals(0, runtime.ownContainerIds().size(), "every validation container was removed");
  }

  private EnvCandidate candidate(final String subjectPrefix) {
    return sample.stream().filter(c -> c.getCommitMessage().startsWith(subjectPrefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no sample candidate '" + subjectPrefix + "'"));
  }
}
