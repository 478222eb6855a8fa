package io.r2estream.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScratchFilesTest {

  private static final String EDIT = "diff --git a/textkit/wrap.py b/textkit/wrap.py\nindex 1111111..2222222 100644\n"
      + "--- a/textkit/wrap.py\n+++ b/textkit/wrap.py\n@@ -1 +1 @@\n-a\n+b\n";
  private static final String NEW_TEST = "diff --git a/tests/test_wrap_width.py b/tests/test_wrap_width.py\n"
      + "new file mode 100644\nindex 0000000..3333333\n--- /dev/null\n+++ b/tests/test_wrap_width.py\n"
      + "@@ -0,0 +1 @@\n+def test(): pass\n";
  private static final String REPRODUCE = "diff --git a/reproduce_issue.py b/reproduce_issue.py\nnew file mode 100644\n"
      + "index 0000000..4444444\n--- /dev/null\n+++ b/reproduce_issue.py\n@@ -0,0 +1 @@\n+print(1)\n";
  private static final String SPACED = "diff --git a/my dir/edge_case_tests.py b/my dir/edge_case_tests.py\n"
      + "new file mode 100644\nindex 0000000..5555555\n--- /dev/null\n+++ b/my dir/edge_case_tests.py\n"
      + "@@ -0,0 +1 @@\n+x\n";
  private static final String BYTECODE = "diff --git a/textkit/__pycache__/wrap.cpython-311.pyc "
      + "b/textkit/__pycache__/wrap.cpython-311.pyc\nnew file mode 100644\nindex 0000000..6666666\n"
      + "GIT binary patch\nliteral 3\nKcmZ?b00001\n\nliteral 0\nKcmV+b0RR6000031\n\n";
  private static final String EDITED_REPRODUCE = "diff --git a/reproduce.py b/reproduce.py\n"
      + "index 7777777..8888888 100644\n--- a/reproduce.py\n+++ b/reproduce.py\n@@ -1 +1 @@\n-old\n+new\n";

  @Test
  void newScratchFilesGoAndEverythingElseStays() {
    final String diff = EDIT + REPRODUCE + NEW_TEST + SPACED + BYTECODE + EDITED_REPRODUCE;
    assertEquals(EDIT + NEW_TEST + EDITED_REPRODUCE, ScratchFiles.strip(diff),
        "a file that exists at the base commit is kept even with a scratch-like name");
    assertEquals(List.of("reproduce_issue.py", "my dir/edge_case_tests.py",
        "textkit/__pycache__/wrap.cpython-311.pyc"), ScratchFiles.scratchPaths(diff));
    assertEquals("", ScratchFiles.strip(""));
    assertEquals(EDIT, ScratchFiles.strip(EDIT));
  }

  @Test
  void quotedPathsAreRead() {
    final String quoted = "diff --git \"a/t\\303\\251/reproduce_x.py\" \"b/t\\303\\251/reproduce_x.py\"\n"
        + "new file mode 100644\n--- /dev/null\n+++ \"b/t\\303\\251/reproduce_x.py\"\n@@ -0,0 +1 @@\n+x\n";
    assertEquals(EDIT, ScratchFiles.strip(EDIT + quoted));
  }
}
