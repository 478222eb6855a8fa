package io.r2estream.deploy.cli;

import io.r2estream.testkit.TestRepo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * A small Python project whose history holds one commit of each kind ingestion and SWE-GEN must tell apart, with
 * the outcome R2E-Gym's rules give each (defaults of {@code SweGenConfig}). Shared by the pipeline and demo tests.
 */
final class EdgeCaseHistory {

  /** Outcome of a commit that becomes an environment candidate. */
  static final String CANDIDATE = "candidate";

  static final String OPS_V1 = """
      def add(a, b):
          return a + b


      def sub(a, b):
          return b - a
      """;
  static final String OPS_V2 = OPS_V1.replace("return b - a", "return a - b");
  static final String OPS_V3 = OPS_V2.replace("def add(a, b):\n", "def add(a, b):\n    \"\"\"Sum of a and b.\"\"\"\n");
  static final String TEST_V1 = """
      from calc.ops import add


      def test_add():
          assert add(1, 2) == 3
      """;
  static final String TEST_V2 = TEST_V1.replace("import add", "import add, sub")
      + "\n\ndef test_sub():\n    assert sub(3, 1) == 2\n";
  static final String FMT_V1 = """
      def fmt(value):
          return str(value)
      """;
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H',
      'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1};
  private static final byte[] LATIN1_PY = "NAME = 'caf\u00e9 cr\u00e8me'\n".getBytes(StandardCharsets.ISO_8859_1);

  /** Commit name → commit, in creation order. */
  final Map<String, RevCommit> commits;
  /** Commit name → expected outcome ({@link #CANDIDATE} or a rule id); the merge has none: it is not ingested. */
  final Map<String, String> expected;
  final Path dir;

  private EdgeCaseHistory(final Path dir, final Map<String, RevCommit> commits, final Map<String, String> expected) {
    this.dir = dir;
    this.commits = Collections.unmodifiableMap(commits);
    this.expected = Collections.unmodifiableMap(expected);
  }

  static EdgeCaseHistory build(final Path dir) throws Exception {
    final Map<String, RevCommit> c = new LinkedHashMap<>();
    final Map<String, String> e = new LinkedHashMap<>();
    try (TestRepo repo = TestRepo.init(dir)) {
      c.put("root", repo.write("calc/__init__.py", "").write("calc/ops.py", OPS_V1).write("calc/fmt.py", FMT_V1)
          .write("tests/test_ops.py", TEST_V1).write("README.md", "# calc\n").commit("Initial import"));
      e.put("root", "root_commit");
      c.put("bugfix", repo.write("calc/ops.py", OPS_V2).write("tests/test_ops.py", TEST_V2)
          .commit("Fix sub returning the wrong sign\n\nFixes #12."));
      e.put("bugfix", CANDIDATE);
      c.put("docstring", repo.write("calc/ops.py", OPS_V3).commit("Document add"));
      e.put("docstring", "docstring_only");
      c.put("refactor", repo
          .write("calc/util_a.py", "def double(x):\n    return 2 * x\n")
          .write("calc/util_b.py", "def triple(x):\n    return 3 * x\n")
          .write("calc/util_c.py", "def square(x):\n    return x * x\n")
          .write("calc/ops.py", "from calc.util_a import double\n\n" + OPS_V3.replace("return a + b",
              "return double(a + b) // 2"))
          .write("calc/fmt.py", "from calc.util_b import triple\n\n" + FMT_V1.replace("str(value)",
              "str(triple(value) // 3)"))
          .commit("Refactor arithmetic helpers into util modules"));
      e.put("refactor", "too_many_non_test_files");
      repo.checkout("feature/format", true);
      c.put("feature", repo.write("calc/fmt.py", "from calc.util_b import triple\n\n" + FMT_V1.replace("str(value)",
          "str(triple(value) // 3).strip()")).commit("fmt: strip surrounding whitespace"));
      e.put("feature", "no_test_entity_edit");
      repo.checkout("main", false);
      c.put("merge", repo.merge("feature/format", "Merge branch 'feature/format'"));
      c.put("binary", repo.write("docs/logo.png", PNG).write("calc/assets.py", "LOGO = 'docs/logo.png'\n")
          .commit("Add the logo"));
      e.put("binary", "non_python_files");
      c.put("rename", repo.move("calc/fmt.py", "calc/formatting.py").commit("Rename fmt to formatting"));
      e.put("rename", "renamed_files");
      c.put("latin1", repo.write("calc/legacy.py", LATIN1_PY).commit("Add the legacy names module"));
      e.put("latin1", "non_python_files");
      c.put("empty", repo.commit("Trigger CI"));
      e.put("empty", "empty_commit");
    }
    return new EdgeCaseHistory(dir, c, e);
  }

  /** sha → expected outcome, for every ingested commit. */
  Map<String, String> expectedBySha() {
    final Map<String, String> m = new LinkedHashMap<>();
    expected.forEach((name, outcome) -> m.put(commits.get(name).name(), outcome));
    return m;
  }

  String sha(final String name) {
    return commits.get(name).name();
  }
}
