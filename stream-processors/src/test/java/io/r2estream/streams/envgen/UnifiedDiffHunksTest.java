package io.r2estream.streams.envgen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class UnifiedDiffHunksTest {

  private static final String PATCH = """
      diff --git a/m.py b/m.py
      index 1111111..2222222 100644
      --- a/m.py
      +++ b/m.py
      @@ -2,4 +2,4 @@ def f():
           a = 1
      --- b
      +++ c
           d = 4
      -e
      +E
      @@ -10,0 +11,2 @@
      +x
      +y
      \\ No newline at end of file
      """;

  @Test
  void readsOldAndNewLineNumbersOfEachHunk() {
    final List<UnifiedDiffHunks.Hunk> hunks = UnifiedDiffHunks.parse(PATCH);

    assertEquals(2, hunks.size());
    assertArrayEquals(new int[] {3, 5}, hunks.get(0).deletedOldLines());
    assertArrayEquals(new int[] {3, 5}, hunks.get(0).addedNewLines());
    assertArrayEquals(new int[] {}, hunks.get(1).deletedOldLines());
    assertArrayEquals(new int[] {11, 12}, hunks.get(1).addedNewLines());
    assertEquals(2, UnifiedDiffHunks.count(PATCH));
    assertEquals(0, UnifiedDiffHunks.count(null));
  }

  @Test
  void rejectsATruncatedHunk() {
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> UnifiedDiffHunks.parse("@@ -1,3 +1,3 @@\n a\n-b\n"));
    assertEquals("hunk '@@ -1,3 +1,3 @@' ends early: 1 old and 2 new lines missing", e.getMessage());
  }
}
