package io.r2estream.streams.envgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Versions are reused by content across threads, within a character budget, and equal fresh parses. */
class SharedPythonFilesTest {

  private static final String V1 = "def f(x):\n    return x + 1\n\n\nclass C:\n    def m(self):\n        pass\n";
  private static final String V2 = V1.replace("x + 1", "x + 2");
  private static final String V3 = V1.replace("x + 1", "x + 3");

  @Test
  void remembersVersionsByContent() {
    final CountingParser counting = new CountingParser();
    final SharedPythonFiles files = new SharedPythonFiles(counting, 1 << 20);

    final PythonModule v1 = files.parse(V1);
    final PythonModule v2 = files.parse(V2);
    files.parse(V3);
    assertSame(v1, files.parse(new String(V1.toCharArray())), "an equal text, whatever the String object");
    assertSame(v2, files.parse(V2));
    assertEquals(3, counting.parses.get());
  }

  @Test
  void threadsShareVersionsAndReadTheSameEntities() throws Exception {
    final SharedPythonFiles files = new SharedPythonFiles(new TokenPythonParser(true), 1 << 20);
    final ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      final List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        final String source = i % 2 == 0 ? V1 : V2;
        results.add(pool.submit(() -> describe(files.parse(source))));
      }
      final String fresh1 = describe(new TokenPythonParser(true).parse(V1));
      final String fresh2 = describe(new TokenPythonParser(true).parse(V2));
      for (int i = 0; i < results.size(); i++) {
        assertEquals(i % 2 == 0 ? fresh1 : fresh2, results.get(i).get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void staysWithinItsCharacterBudget() {
    final CountingParser counting = new CountingParser();
    final SharedPythonFiles files = new SharedPythonFiles(counting, 10L * V1.length());
    for (int i = 0; i < 200; i++) {
      files.parse(V1 + "\nX" + i + " = 1\n");
    }
    final int before = counting.parses.get();
    files.parse(V1 + "\nX0 = 1\n");
    assertEquals(before + 1, counting.parses.get(), "the first version was evicted long ago");
  }

  private static String describe(final PythonModule m) {
    final StringBuilder sb = new StringBuilder();
    for (final PythonEntity e : m.entities()) {
      sb.append(e).append(e.methods()).append(e.normalForm().length()).append(';');
    }
    return sb.toString();
  }

  /** Counts the parses that the memory could not spare. */
  private static final class CountingParser implements PythonParser {
    final AtomicInteger parses = new AtomicInteger();
    private final TokenPythonParser parser = new TokenPythonParser(true);

    @Override
    public PythonModule parse(final String source) {
      parses.incrementAndGet();
      return parser.parse(source);
    }
  }
}
