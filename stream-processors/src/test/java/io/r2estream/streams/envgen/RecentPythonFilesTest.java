package io.r2estream.streams.envgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Remembered and incrementally parsed versions must equal fresh parses; memory stays within its bound. */
class RecentPythonFilesTest {

  private static final String V1 = functions(40, 10);
  /** One small edit away from V1. */
  private static final String V2 = V1.replace("    return x + 7\n", "    return x - 7\n");
  /** Two far-apart edits away from V1. */
  private static final String FAR = V1.replace("    return x + 1\n", "    return x * 1\n")
      .replace("    return x + 39\n", "    if x:\n        return 39\n    return x + 39\n")
      .replace("def f20(", "def g20(");
  private static final String BROKEN = V2.replace("def f7(x):", "def f7(x:");

  private final TreeSitterPythonParser fresh = new TreeSitterPythonParser(true);

  @Test
  void reusesARememberedVersionAndParsesANearOneLikeAFreshParse() {
    final RecentPythonFiles files = new RecentPythonFiles(new TreeSitterPythonParser(true), 1 << 20);
    final TreeSitterPythonModule v1 = files.parse("r\0a.py", V1, null);
    final TreeSitterPythonModule v2 = files.parse("r\0a.py", V2, null);

    assertSame(v1, files.parse("r\0a.py", V1, null));
    assertSame(v2, files.parse("r\0a.py", V2, null));
    assertNotSame(v1, files.parse("r\0b.py", V1, null), "files are remembered by key");
    assertSameEntities(fresh.parse(V2), v2);
    assertSameEntities(fresh.parse(FAR), files.parse("r\0a.py", FAR, v2));
  }

  @Test
  void aSyntaxErrorFoundFromANearVersionIsTheFreshParsesError() {
    final RecentPythonFiles files = new RecentPythonFiles(new TreeSitterPythonParser(true), 1 << 20);
    final TreeSitterPythonModule good = files.parse("r\0a.py", V2, null);

    final TreeSitterPythonModule broken = files.parse("r\0a.py", BROKEN, good);

    assertEquals(fresh.parse(BROKEN).syntaxError(), broken.syntaxError());
    assertTrue(broken.syntaxError().startsWith("line "), broken.syntaxError());
    assertSameEntities(fresh.parse(V1), files.parse("r\0a.py", V1, broken));
  }

  @Test
  void forgetsLeastRecentlyUsedFilesBeyondItsBound() {
    final RecentPythonFiles files = new RecentPythonFiles(new TreeSitterPythonParser(true), 2L * V1.length());
    final TreeSitterPythonModule a = files.parse("r\0a.py", V1, null);
    final TreeSitterPythonModule b = files.parse("r\0b.py", V1, null);
    assertSame(a, files.parse("r\0a.py", V1, null));

    files.parse("r\0c.py", V1, null);

    assertSame(a, files.parse("r\0a.py", V1, null), "a was used more recently than b");
    assertNotSame(b, files.parse("r\0b.py", V1, null), "b was forgotten");
  }

  @Test
  void nearnessIsTheShareOfTheFileBetweenCommonPrefixAndSuffix() {
    assertEquals(1, TreeSitterPythonParser.changedSpan(V1, V2));
    assertTrue(TreeSitterPythonParser.isNear(V1, V2));
    assertFalse(TreeSitterPythonParser.isNear(V1, FAR));
    assertEquals(0, TreeSitterPythonParser.changedSpan(V1, V1));
    assertNull(fresh.parseFrom(null, V1).syntaxError());
  }

  private static void assertSameEntities(final PythonModule expected, final PythonModule actual) {
    assertEquals(expected.source(), actual.source());
    assertEquals(expected.syntaxError(), actual.syntaxError());
    assertEquals(describe(expected.entities()), describe(actual.entities()));
    for (int i = 0; i < expected.entities().size(); i++) {
      assertEquals(expected.entities().get(i).normalForm(), actual.entities().get(i).normalForm());
    }
  }

  private static List<String> describe(final List<PythonEntity> entities) {
    return entities.stream().map(e -> e.kind() + " " + e.name() + " " + e.startLine() + "-" + e.endLine()).toList();
  }

  private static String functions(final int count, final int bodyLines) {
    final StringBuilder b = new StringBuilder("import math\n");
    for (int i = 0; i < count; i++) {
      b.append("\n\ndef f").append(i).append("(x):\n");
      for (int j = 0; j < bodyLines; j++) {
        b.append("    y").append(j).append(" = x * ").append(j).append('\n');
      }
      b.append("    return x + ").append(i).append('\n');
    }
    return b.toString();
  }
}
