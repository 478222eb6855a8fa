package io.r2estream.verifier.execution;

import io.r2estream.avro.TestGenPatch;
import java.time.Instant;

/** Reproduction tests for the sample project's wrap task, as the testing agent would write them, and their patches. */
public final class TestIssueScripts {

  /**
   * Three cases: the first two reproduce the wrap off-by-one at the base commit and are resolved by the fix; the
   * third passes either way. So: at the base commit 2 reproduced + 1 resolved, with the gold patch 3 resolved.
   */
  public static final String WRAP_TEST = """
      from textkit.wrap import wrap

      CASES = [
          ("aaaa bbbbb cc", 10, ["aaaa bbbbb", "cc"]),
          ("ab cd", 5, ["ab cd"]),
          ("the quick brown fox", 10, ["the quick", "brown fox"]),
      ]

      for k, (text, width, expected) in enumerate(CASES, 1):
          try:
              got = wrap(text, width)
              if got == expected:
                  print(f"Test Case {k}: Issue resolved")
              else:
                  print(f"Test Case {k}: Issue reproduced")
          except Exception as e:
              print(f"Test Case {k}: Other issues {e!r}")
      """;

  private TestIssueScripts() {
  }

  /** A git diff adding {@code path} with {@code content} (which ends with a newline). */
  public static String newFileDiff(final String path, final String content) {
    final String[] lines = content.split("\n", -1);
    final int n = content.endsWith("\n") ? lines.length - 1 : lines.length;
    final StringBuilder sb = new StringBuilder("diff --git a/" + path + " b/" + path + "\nnew file mode 100644\n"
        + "--- /dev/null\n+++ b/" + path + "\n@@ -0,0 +1," + n + " @@\n");
    for (int i = 0; i < n; i++) {
      sb.append('+').append(lines[i]).append('\n');
    }
    return sb.toString();
  }

  /** A test patch record adding {@code test_issue.py} with {@code script} ("" = an empty patch). */
  public static TestGenPatch testPatch(final String taskId, final int i, final String script) {
    return TestGenPatch.newBuilder().setTestgenId(taskId + "/testgen/" + i).setTaskId(taskId)
        .setPatch(script.isEmpty() ? "" : newFileDiff(ExecutionVerifier.TEST_FILE, script))
        .setTestCommand(ExecutionVerifier.TEST_COMMAND).setCreatedAt(Instant.now()).build();
  }
}
