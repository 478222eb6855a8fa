package io.r2estream.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ObservationsTest {

  private static String lines(final int from, final int to) {
    return IntStream.rangeClosed(from, to).mapToObj(i -> "line " + i).collect(Collectors.joining("\n"));
  }

  @Test
  void eightyLinesStayWholeAndEightyOneAreCutToFortyAndForty() {
    final String eighty = lines(1, 80) + "\n";
    assertEquals("Exit code: 0\nExecution output of [execute_bash]:\n" + eighty, Observations.bash("0", eighty));
    final String cut = Observations.truncateMiddle(lines(1, 81) + "\n");
    final String dashes = "-".repeat(50);
    assertEquals(lines(1, 40) + "\n" + dashes + "\n<Observation truncated in middle for saving context>\n" + dashes
        + "\n" + lines(42, 81), cut);
  }

  @Test
  void pythonStringSemantics() {
    assertEquals(List.of("a", "b", "", "c"), PyText.splitlines("a\r\nb\n\rc\n"));
    assertEquals(List.of("a", "b", ""), PyText.splitNewlines("a\nb\n"));
    assertEquals(2, PyText.count("aaaa", "aa"));
    assertEquals(4, PyText.count("abc", ""));
    assertEquals("a       b\n        c", PyText.expandtabs("a\tb\n\tc"));
    assertEquals("red", PyText.stripAnsi("\u001B[31mred\u001B[0m\r"));
  }

  @Test
  void condensedViewNumbersNoticesAtTheirFirstLine() {
    final String text = "def f():\n    a = 1\n    b = 2\n    c = 3\n    return a\nX = 1\n";
    final List<FileEditor.NumberedLine> lines = FileEditor.condense(text, List.<int[]>of(new int[] {1, 4}));
    assertEquals(List.of(new FileEditor.NumberedLine(0, "def f():"),
        new FileEditor.NumberedLine(1, "... eliding lines 2-5 ..."), new FileEditor.NumberedLine(5, "X = 1")), lines);
  }

  @Test
  void catNNumbersFromTheGivenLineWithATabAndClipsLongContent() {
    assertEquals("Here's the result of running `cat -n` on a snippet of x.py:\n     3\tif a:\n     4\t        b\n",
        FileEditor.catN("if a:\n\tb", "a snippet of x.py", 3));
    final String clipped = FileEditor.maybeTruncate("x".repeat(10_001));
    assertEquals("x".repeat(10_000) + FileEditor.CLIPPED, clipped);
    assertEquals("/testbed/a.py", FileEditor.displayPath("/testbed//./a.py"));
    assertEquals("pkg", FileEditor.displayPath("./pkg/"));
    assertEquals(".", FileEditor.displayPath("./"));
  }
}
