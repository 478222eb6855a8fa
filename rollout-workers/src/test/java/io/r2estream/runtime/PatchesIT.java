package io.r2estream.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Applying, reversing and taking patches in a git checkout inside a real container. */
class PatchesIT {
  private static final String OWNER = TestDocker.owner("patches");
  private static final String ORIGINAL = lines(1, 30);
  private static DockerContainerRuntime runtime;
  private static Patches patches;
  private static String image;
  private Container c;

  @BeforeAll
  static void connect() {
    image = TestDocker.baseImage();
    runtime = TestDocker.runtime(OWNER);
    patches = new Patches(runtime);
  }

  @AfterAll
  static void disconnect() {
    runtime.close();
  }

  /** A container whose /testbed is a git repository with one commit holding mod.txt ("line 1".."line 30"). */
  @BeforeEach
  void startWithRepository() {
    c = runtime.start(ContainerSpec.of(image, "patches-it"));
    runtime.copyIn(c, "/testbed", Map.of("mod.txt", bytes(ORIGINAL)));
    sh("git init -q && git add -A && git commit -qm base");
  }

  @AfterEach
  void remove() {
    runtime.remove(c);
  }

  @Test
  void cleanPatchAppliesWithGitApplyAndReverses() {
    sh("sed -i 's/^line 12$/line twelve/' mod.txt");
    final String patch = patches.diff(c, "HEAD");
    assertTrue(patch.contains("-line 12\n+line twelve\n"), patch);
    sh("git reset -q --hard");

    final var applied = patches.apply(c, patch);
    assertEquals(new ApplyOutcome(true, ApplyOutcome.Method.GIT_APPLY, ""), applied);
    assertEquals(ORIGINAL.replace("line 12\n", "line twelve\n"), file("mod.txt"));

    final var reversed = patches.reverse(c, patch);
    assertTrue(reversed.applied(), reversed.error());
    assertEquals(ORIGINAL, file("mod.txt"));
    assertEquals("", sh("ls /tmp"), "the patch files are removed");
  }

  @Test
  void patchOnAnOlderCommitAppliesByThreeWayMerge() {
    sh("sed -i 's/^line 12$/line twelve/' mod.txt");
    final String patch = patches.diff(c, "HEAD");
    // The repository moves on: line 10, inside the patch's context, changes in a new commit.
    sh("git reset -q --hard && sed -i 's/^line 10$/line ten/' mod.txt && git commit -qam moved");

    final var applied = patches.apply(c, patch);
    assertEquals(ApplyOutcome.Method.GIT_APPLY_3WAY, applied.method(), applied.error());
    assertEquals(ORIGINAL.replace("line 10\n", "line ten\n").replace("line 12\n", "line twelve\n"), file("mod.txt"));
  }

  @Test
  void patchWithShiftedAndChangedContextAppliesWithFuzz() {
    // Five lines above the hunk and a changed first context line: git apply refuses, patch --fuzz=2 accepts.
    sh("printf '# header %s\\n' a b c d e | cat - mod.txt > m && mv m mod.txt"
        + " && sed -i 's/^line 9$/line nine/' mod.txt && git commit -qam shifted");
    final String before = file("mod.txt");
    final String patch = "--- a/mod.txt\n+++ b/mod.txt\n@@ -9,7 +9,7 @@\n line 9\n line 10\n line 11\n"
        + "-line 12\n+line twelve\n line 13\n line 14\n line 15\n";

    final var applied = patches.apply(c, patch);
    assertEquals(ApplyOutcome.Method.PATCH_FUZZ, applied.method(), applied.error());
    assertEquals(before.replace("line 12\n", "line twelve\n"), file("mod.txt"));
    assertEquals(" M mod.txt\n", sh("git status --porcelain"), "no backup or reject files");

    final var reversed = patches.reverse(c, patch);
    assertEquals(ApplyOutcome.Method.PATCH_FUZZ, reversed.method(), reversed.error());
    assertEquals(before, file("mod.txt"));
  }

  @Test
  void patchThatDoesNotApplyLeavesTheTreeAloneAndSaysWhy() {
    final String patch = "--- a/mod.txt\n+++ b/mod.txt\n@@ -3,3 +3,3 @@\n line 3\n-no such line\n+replacement\n"
        + " line 5\n@@ -20,3 +20,3 @@\n line 20\n-line 21\n+line twenty-one\n line 22\n";

    final var outcome = patches.apply(c, patch);
    assertFalse(outcome.applied());
    assertNull(outcome.method());
    assertTrue(outcome.error().contains("git apply: error: patch failed: mod.txt:3"), outcome.error());
    assertTrue(outcome.error().contains("git apply --3way:"), outcome.error());
    assertTrue(outcome.error().contains("patch: ") && outcome.error().contains("FAILED"), outcome.error());
    // The second hunk would have applied: nothing of it may be left behind.
    assertEquals(ORIGINAL, file("mod.txt"));
    assertEquals("", sh("git status --porcelain"));
  }

  @Test
  void diffCountsEditsUntrackedAndBinaryFilesAndReappliesToTheSameTree() {
    final byte[] binary = new byte[256];
    for (int i = 0; i < binary.length; i++) {
      binary[i] = (byte) i;
    }
    runtime.copyIn(c, "/testbed", Map.of("data/blob.bin", binary, "new_module.py", bytes("VALUE = 1\n")));
    sh("sed -i 's/^line 30$/line thirty/' mod.txt");
    final String diff = patches.diff(c, "HEAD");
    assertTrue(diff.contains("+++ b/new_module.py\n@@ -0,0 +1 @@\n+VALUE = 1\n"), diff);
    assertTrue(diff.contains("-line 30\n+line thirty\n"), diff);
    assertTrue(diff.contains("diff --git a/data/blob.bin b/data/blob.bin") && diff.contains("GIT binary patch"), diff);

    sh("git reset -q --hard && git clean -qfdx");
    assertEquals("", patches.diff(c, "HEAD"));
    final var applied = patches.apply(c, diff);
    assertEquals(ApplyOutcome.Method.GIT_APPLY, applied.method(), applied.error());
    assertArrayEquals(binary, runtime.readFile(c, "/testbed/data/blob.bin"));
    assertEquals("VALUE = 1\n", file("new_module.py"));
    assertEquals(ORIGINAL.replace("line 30\n", "line thirty\n"), file("mod.txt"));
  }

  private String sh(final String shell) {
    final var r = runtime.exec(c, ExecRequest.of(shell, Duration.ofSeconds(30)));
    assertTrue(r.ok(), shell + " -> " + r);
    return r.output();
  }

  private String file(final String path) {
    return new String(runtime.readFile(c, "/testbed/" + path), StandardCharsets.UTF_8);
  }

  private static String lines(final int from, final int to) {
    return IntStream.rangeClosed(from, to).mapToObj(i -> "line " + i + "\n").collect(Collectors.joining());
  }

  private static byte[] bytes(final String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
