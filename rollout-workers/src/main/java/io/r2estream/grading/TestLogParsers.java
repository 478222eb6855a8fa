package io.r2estream.grading;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The registry of test-log parsers by name, the name a task stores in {@code EnvironmentRef.log_parser} and a
 * repository recipe in its {@code log-parser} field. Parsers are stateless, so one instance each is shared.
 */
public final class TestLogParsers {

  private static final Map<String, TestLogParser> BY_NAME = Map.of(
      PytestLogParser.NAME, new PytestLogParser(),
      UnittestLogParser.NAME, new UnittestLogParser(),
      JUnitXmlLogParser.NAME, new JUnitXmlLogParser());

  private TestLogParsers() {
  }

  /** The parser registered under {@code name}; fails naming the known parsers when there is none. */
  public static TestLogParser get(final String name) {
    final TestLogParser p = name == null ? null : BY_NAME.get(name);
    if (p == null) {
      throw new IllegalArgumentException("Unknown test-log parser '" + name + "'; known parsers: "
          + String.join(", ", names()));
    }
    return p;
  }

  /** Whether {@code name} names a registered parser (config validation). */
  public static boolean contains(final String name) {
    return name != null && BY_NAME.containsKey(name);
  }

  /** The registered names, sorted. */
  public static Set<String> names() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(BY_NAME.keySet()));
  }
}
