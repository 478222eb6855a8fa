package io.r2estream.producers.commits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.avro.ChangeType;
import io.r2estream.avro.CommitEvent;
import io.r2estream.avro.FileChange;
import io.r2estream.testkit.TestRepo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommitScannerTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  /** Small caps so that the "huge diff" commit trips them with a few thousand lines. */
  private static final ScanLimits LIMITS = new ScanLimits(8 * 1024, 16 * 1024, ScanLimits.DEFAULT_MAX_EVENT_BYTES, 2);

  private static final String CALC_V1 = """
      def add(a, b):
          return a + b


      def sub(a, b):
          return b - a
      """;
  private static final String CALC_V2 = CALC_V1.replace("return b - a", "return a - b");
  private static final String CALC_V3 = CALC_V2.replace("def add(a, b):\n", "def add(a, b):\n    \"\"\"Sum.\"\"\"\n");
  private static final String TEST_V1 = """
      from pkg.calc import add


      def test_add():
          assert add(1, 2) == 3
      """;
  private static final String TEST_V2 = TEST_V1.replace("import add", "import add, sub")
      + "\n\ndef test_sub():\n    assert sub(3, 1) == 2\n";
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 1, 0, 1};
  private static final byte[] LATIN1_PY = "name = 'caf\u00e9'\n".getBytes(StandardCharsets.ISO_8859_1);

  @TempDir
  Path dir;

  private TestRepo repo;
  private final Map<String, RevCommit> c = new java.util.LinkedHashMap<>();

  @BeforeEach
  void buildHistory() throws Exception {
    repo = TestRepo.init(dir.resolve("calc"));
    c.put("initial", repo.write("pkg/calc.py", CALC_V1).write("README.md", "# calc\n")
        .write("tests/test_calc.py", TEST_V1).commit("Initial import"));
    c.put("bugfix", repo.write("pkg/calc.py", CALC_V2).write("tests/test_calc.py", TEST_V2)
        .commit("Fix sub returning the wrong sign\n\nFixes #12."));
    c.put("docstring", repo.write("pkg/calc.py", CALC_V3).commit("Document add"));
    c.put("refactor", repo.write("pkg/util.py", numbered("def helper_%d():\n    return %d\n", 40))
        .write("pkg/calc.py", "from pkg.util import helper_1\n\n" + CALC_V3.replace("a + b", "helper_1() * 0 + a + b"))
        .write("docs/api.rst", "API\n===\n").commit("Refactor helpers out of calc"));
    repo.checkout("feature", true);
    c.put("feature", repo.write("pkg/feature.py", "X = 1\n").commit("Add feature flag"));
    repo.checkout("main", false);
    c.put("mainline", repo.write("README.md", "# calc\n\nA calculator.\n").commit("Describe the project"));
    c.put("merge", repo.merge("feature", "Merge branch 'feature'"));
    c.put("binary", repo.write("assets/logo.png", PNG).commit("Add logo"));
    c.put("rename", repo.move("pkg/util.py", "pkg/helpers.py").write("pkg/calc.py",
        "from pkg.helpers import helper_1\n\n" + CALC_V3.replace("a + b", "helper_1() * 0 + a + b"))
        .commit("Rename util to helpers"));
    c.put("latin1", repo.write("pkg/legacy.py", LATIN1_PY).commit("Add legacy module"));
    c.put("empty", repo.commit("Empty commit to trigger CI"));
    c.put("huge", repo.write("pkg/generated.py", numbered("VALUE_%d = %d\n", 3000))
        .write("pkg/small.py", "SMALL = 1\n").commit("Add generated table"));
  }

  @Test
  void wholeHistoryOldestFirstWithExactStats() throws Exception {
    final List<CommitEvent> events;
    final ScanStats stats;
    try (CommitScanner scanner = new CommitScanner(repo.git().getRepository(), "acme/calc", LIMITS, CLOCK);
         CommitScan scan = scanner.scan(CommitRange.head())) {
      assertEquals(11, scan.total(), "12 commits minus the merge");
      events = new ArrayList<>();
      scan.forEachRemaining(events::add);
      stats = scan.stats();
    }
    final List<String> expectedOrder = List.of("initial", "bugfix", "docstring", "refactor", "feature", "mainline",
        "binary", "rename", "latin1", "empty", "huge");
    assertEquals(expectedOrder.stream().map(k -> c.get(k).name()).toList(),
        events.stream().map(CommitEvent::getSha).toList());
    assertEquals(new ScanStats(11, 11, 1, 1, 1, 1, 1, 1, 1, 0, List.of()), stats);

    final Map<String, CommitEvent> bySha = events.stream().collect(Collectors.toMap(CommitEvent::getSha,
        Function.identity()));
    events.forEach(e -> {
      assertEquals("acme/calc", e.getRepository());
      assertEquals("scan", e.getSource());
      assertEquals(NOW, e.getIngestedAt());
    });

    // Root commit: no parent, every file added, contents only for Python files.
    final CommitEvent initial = bySha.get(c.get("initial").name());
    assertNull(initial.getParentSha());
    assertEquals("Initial import", initial.getMessage());
    assertEquals("Ada Lovelace", initial.getAuthorName());
    assertEquals("ada@example.org", initial.getCommitterEmail());
    assertEquals(TestRepo.BASE.plusSeconds(3600), initial.getCommitTime());
    final Map<String, FileChange> initialFiles = byPath(initial);
    assertEquals(List.of("README.md", "pkg/calc.py", "tests/test_calc.py"), List.copyOf(initialFiles.keySet()));
    initialFiles.values().forEach(f -> assertEquals(ChangeType.ADD, f.getChangeType()));
    assertNull(initialFiles.get("pkg/calc.py").getOldPath());
    assertEquals(CALC_V1, initialFiles.get("pkg/calc.py").getNewContent());
    assertNull(initialFiles.get("README.md").getNewContent(), "contents are kept for Python files only");
    assertEquals("markdown", initialFiles.get("README.md").getLanguage());

    // Bug fix with a test: one non-test edit, one test edit, git-identical patches.
    final CommitEvent bugfix = bySha.get(c.get("bugfix").name());
    assertEquals(c.get("initial").name(), bugfix.getParentSha());
    assertEquals("Fix sub returning the wrong sign\n\nFixes #12.", bugfix.getMessage());
    final FileChange calc = byPath(bugfix).get("pkg/calc.py");
    final FileChange test = byPath(bugfix).get("tests/test_calc.py");
    assertEquals(List.of(ChangeType.MODIFY, 1, 1, false, "python"),
        List.of(calc.getChangeType(), calc.getAdditions(), calc.getDeletions(), calc.getTestFile(), calc.getLanguage()));
    assertEquals(CALC_V1, calc.getOldContent());
    assertEquals(CALC_V2, calc.getNewContent());
    assertEquals(gitDiff(c.get("initial"), c.get("bugfix"), "pkg/calc.py"), calc.getPatch());
    assertTrue(test.getTestFile());
    assertEquals(5, test.getAdditions());
    assertEquals(1, test.getDeletions());
    assertEquals(gitDiff(c.get("initial"), c.get("bugfix"), "tests/test_calc.py"), test.getPatch());
    assertEquals(calc.getPatch().length() + test.getPatch().length(), bugfix.getDiffBytes());
    assertFalse(bugfix.getDiffTruncated());

    // Docstring-only edit: one added line, contents carry the docstring for the entity analysis.
    final FileChange doc = byPath(bySha.get(c.get("docstring").name())).get("pkg/calc.py");
    assertEquals(List.of(1, 0), List.of(doc.getAdditions(), doc.getDeletions()));
    assertTrue(doc.getPatch().contains("+    \"\"\"Sum.\"\"\""), doc.getPatch());

    // Large refactor: new module, rewritten module, a doc file.
    final Map<String, FileChange> refactor = byPath(bySha.get(c.get("refactor").name()));
    assertEquals(List.of("docs/api.rst", "pkg/calc.py", "pkg/util.py"), List.copyOf(refactor.keySet()));
    assertEquals(80, refactor.get("pkg/util.py").getAdditions());
    assertEquals("restructuredtext", refactor.get("docs/api.rst").getLanguage());

    // Binary file: flagged, no patch, no line counts.
    final FileChange png = byPath(bySha.get(c.get("binary").name())).get("assets/logo.png");
    assertEquals(List.of(true, 0, 0), List.of(png.getBinary(), png.getAdditions(), png.getDeletions()));
    assertNull(png.getPatch());
    assertNull(png.getLanguage());

    // Rename: detected, both paths kept, pure rename has a header-only patch like git's.
    final Map<String, FileChange> rename = byPath(bySha.get(c.get("rename").name()));
    final FileChange moved = rename.get("pkg/helpers.py");
    assertEquals(ChangeType.RENAME, moved.getChangeType());
    assertEquals("pkg/util.py", moved.getOldPath());
    assertEquals(0, moved.getAdditions() + moved.getDeletions());
    assertEquals(gitDiff(c.get("binary"), c.get("rename"), "pkg/util.py", "pkg/helpers.py"), moved.getPatch());
    assertEquals(moved.getOldContent(), moved.getNewContent());

    // Non-UTF-8 Python file: flagged, no patch, no contents, still counted.
    final FileChange legacy = byPath(bySha.get(c.get("latin1").name())).get("pkg/legacy.py");
    assertEquals(List.of(true, false, 1), List.of(legacy.getNonUtf8(), legacy.getBinary(), legacy.getAdditions()));
    assertNull(legacy.getPatch());
    assertNull(legacy.getNewContent());

    // Empty commit: emitted without files.
    final CommitEvent empty = bySha.get(c.get("empty").name());
    assertEquals(List.of(), empty.getFiles());
    assertEquals(0L, empty.getDiffBytes());

    // Huge diff: the big patch is omitted and flagged, the small one still fits, diff_bytes is the full size.
    final CommitEvent huge = bySha.get(c.get("huge").name());
    final FileChange generated = byPath(huge).get("pkg/generated.py");
    final FileChange small = byPath(huge).get("pkg/small.py");
    assertTrue(huge.getDiffTruncated());
    assertTrue(generated.getPatchTruncated());
    assertNull(generated.getPatch());
    assertEquals(3000, generated.getAdditions());
    assertTrue(generated.getContentTruncated());
    assertNull(generated.getNewContent());
    assertEquals(gitDiff(c.get("empty"), c.get("huge"), "pkg/small.py"), small.getPatch());
    final long fullDiff = gitDiff(c.get("empty"), c.get("huge")).getBytes(StandardCharsets.UTF_8).length;
    assertEquals(fullDiff, huge.getDiffBytes());
  }

  @Test
  void maxCommitsKeepsTheMostRecentNonMergeCommitsOldestFirst() throws Exception {
    assertEquals(List.of(c.get("latin1").name(), c.get("empty").name(), c.get("huge").name()),
        shas(CommitRange.head().maxCommits(3)));
  }

  @Test
  void sinceKeepsCommitsAtOrAfterTheGivenTimeAndCountsOnlyThoseMerges() throws Exception {
    final Instant mergeTime = c.get("merge").getCommitterIdent().getWhenAsInstant();
    try (CommitScanner scanner = new CommitScanner(repo.git().getRepository(), "calc", LIMITS, CLOCK);
         CommitScan scan = scanner.scan(CommitRange.head().since(mergeTime))) {
      assertEquals(List.of("binary", "rename", "latin1", "empty", "huge").stream().map(k -> c.get(k).name())
          .toList(), scan.stream().map(CommitEvent::getSha).toList());
      assertEquals(1, scan.stats().mergesSkipped());
    }
    try (CommitScanner scanner = new CommitScanner(repo.git().getRepository(), "calc", LIMITS, CLOCK);
         CommitScan scan = scanner.scan(CommitRange.head().since(mergeTime.plusSeconds(1)))) {
      assertEquals(5, scan.stream().count());
      assertEquals(0, scan.stats().mergesSkipped(), "the merge is older than since");
    }
  }

  @Test
  void pushRangeCoversCommitsReachableFromAfterButNotBefore() throws Exception {
    assertEquals(List.of(c.get("feature").name(), c.get("mainline").name(), c.get("binary").name()),
        shas(CommitRange.push(c.get("refactor").name(), c.get("binary").name())));
    assertEquals(3, shas(CommitRange.push(CommitRange.ZERO_SHA, c.get("docstring").name())).size(),
        "a new branch (zero old revision) brings its whole history");
  }

  @Test
  void renderingOnOneOrTwoThreadsGivesTheSameEventsInTheSameOrder() throws Exception {
    assertEquals(events(LIMITS.withRenderThreads(1)), events(LIMITS.withRenderThreads(2)));
  }

  @Test
  void eventCapDropsTheLargestContentsAndPatchesFirst() throws Exception {
    final ScanLimits tight = new ScanLimits(1024 * 1024, 1024 * 1024, 50_000, 1);
    final CommitEvent huge;
    try (CommitScanner scanner = new CommitScanner(repo.git().getRepository(), "calc", tight, CLOCK);
         CommitScan scan = scanner.scan(CommitRange.head().maxCommits(1))) {
      huge = scan.next();
      assertEquals(1, scan.stats().truncatedDiffs());
    }
    final FileChange generated = byPath(huge).get("pkg/generated.py");
    assertTrue(generated.getContentTruncated(), "the ~60 KB contents go first");
    assertTrue(generated.getPatchTruncated(), "then the largest patch");
    assertNotNull(byPath(huge).get("pkg/small.py").getNewContent(), "small files survive");
    assertTrue(R2eSize.of(huge) < 50_000, "serialized size " + R2eSize.of(huge));
  }

  @Test
  void aCommitThatCannotBeRenderedIsReportedWithItsShaAndTheScanGoesOn() throws Exception {
    final RevCommit broken;
    try (TestRepo other = TestRepo.init(dir.resolve("broken"))) {
      other.write("a.txt", "one\n").commit("one");
      broken = other.write("a.txt", "two\n").commit("two");
      other.write("b.txt", "three\n").commit("three");
      final String blob = other.git().getRepository().resolve(broken.name() + ":a.txt").name();
      Files.delete(other.dir().resolve(".git/objects/" + blob.substring(0, 2) + "/" + blob.substring(2)));
      try (CommitScanner scanner = new CommitScanner(other.git().getRepository(), "broken", LIMITS, CLOCK);
           CommitScan scan = scanner.scan(CommitRange.head())) {
        assertEquals(List.of("one", "three"), scan.stream().map(CommitEvent::getMessage).toList());
        final ScanStats stats = scan.stats();
        assertEquals(List.of(3L, 2L, 1L), List.of(stats.selected(), stats.commits(), stats.errorCount()));
        assertEquals(broken.name(), stats.errors().get(0).sha());
        assertTrue(stats.errors().get(0).reason().contains("Missing"), stats.errors().get(0).reason());
      }
    }
  }

  @Test
  void unknownTipIsRejectedWithTheRevisionInTheMessage() throws Exception {
    try (CommitScanner scanner = new CommitScanner(repo.git().getRepository(), "calc", LIMITS, CLOCK)) {
      final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> scanner.scan(CommitRange.of("no-such-branch")));
      assertTrue(e.getMessage().contains("no-such-branch"), e.getMessage());
    }
  }

  @Test
  void aUrlIsClonedIntoTheCacheThenFetchedAndNamedOwnerSlashName() throws Exception {
    final Path cache = dir.resolve("cache");
    final RepositorySource source = RepositorySource.remote(repo.dir().toUri().toString(), cache);
    assertEquals(dir.getFileName() + "/calc", source.id());
    try (CommitScanner scanner = CommitScanner.open(source, LIMITS, CLOCK);
         CommitScan scan = scanner.scan(CommitRange.of("main"))) {
      assertEquals(11, scan.stream().count());
    }
    final RevCommit later = repo.write("pkg/late.py", "LATE = 1\n").commit("Late commit");
    try (CommitScanner scanner = CommitScanner.open(source, LIMITS, CLOCK);
         CommitScan scan = scanner.scan(CommitRange.of("main").maxCommits(1))) {
      assertEquals(later.name(), scan.next().getSha(), "the second open fetched the new commit");
    }
    assertEquals(List.of(source.id().replace('/', '_') + ".git"),
        Files.list(cache).map(p -> p.getFileName().toString()).toList(), "one clone, fetched, not cloned twice");
    try (CommitScanner scanner = CommitScanner.open(RepositorySource.local(repo.dir()).withId("acme/calc"),
        LIMITS, CLOCK); CommitScan scan = scanner.scan(CommitRange.head().maxCommits(1))) {
      assertEquals("acme/calc", scan.next().getRepository());
    }
  }

  @Test
  void repositoryIdsComeFromUrlsAndDirectoryNames() {
    assertEquals("pandas-dev/pandas", RepositorySource.idFromUrl("https://github.com/pandas-dev/pandas.git"));
    assertEquals("pandas-dev/pandas", RepositorySource.idFromUrl("git@github.com:pandas-dev/pandas.git"));
    assertEquals("numpy/numpy", RepositorySource.idFromUrl("https://github.com/numpy/numpy/"));
    assertEquals("calc", RepositorySource.idFromPath(Path.of("/src/calc")));
    assertEquals("calc", RepositorySource.idFromPath(Path.of("/src/calc/.git")));
    assertEquals("calc", RepositorySource.idFromPath(Path.of("/srv/git/calc.git")));
  }

  private List<CommitEvent> events(final ScanLimits limits) throws IOException {
    try (CommitScanner scanner = new CommitScanner(repo.git().getRepository(), "calc", limits, CLOCK);
         CommitScan scan = scanner.scan(CommitRange.head())) {
      return scan.stream().toList();
    }
  }

  private List<String> shas(final CommitRange range) throws IOException {
    try (CommitScanner scanner = new CommitScanner(repo.git().getRepository(), "calc", LIMITS, CLOCK);
         CommitScan scan = scanner.scan(range)) {
      return scan.stream().map(CommitEvent::getSha).toList();
    }
  }

  private static Map<String, FileChange> byPath(final CommitEvent e) {
    final Map<String, FileChange> m = new java.util.LinkedHashMap<>();
    e.getFiles().forEach(f -> m.put(f.getNewPath() != null ? f.getNewPath() : f.getOldPath(), f));
    return m;
  }

  private static String numbered(final String format, final int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> String.format(format, i, i)).collect(Collectors.joining());
  }

  /** The real git's diff between two commits (optionally limited to paths), for format fidelity checks. */
  private String gitDiff(final RevCommit from, final RevCommit to, final String... paths) throws Exception {
    final List<String> cmd = new ArrayList<>(List.of("git", "-C", repo.dir().toString(), "-c", "core.abbrev=7",
        "diff", "--no-color", "--no-ext-diff", "-M", from.name(), to.name(), "--"));
    cmd.addAll(List.of(paths));
    final ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    pb.environment().put("HOME", dir.toString());
    final Process p = pb.start();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    assertEquals(0, p.waitFor(), out.toString(StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }
}
