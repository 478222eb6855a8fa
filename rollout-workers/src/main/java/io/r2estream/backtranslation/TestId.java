package io.r2estream.backtranslation;

/**
 * A test id as the log parsers report it, split into what is needed to find the test's source and its failure
 * block: {@code tests/test_x.py::TestA::test_b[1-2]}, {@code TestA.test_b} or {@code test_b}.
 *
 * @param file     the test file, or "" when the id has none
 * @param owner    the enclosing class, or "" for a module-level function
 * @param function the test function without its parameter suffix
 */
record TestId(String file, String owner, String function) {

  static TestId parse(final String id) {
    String rest = id.trim();
    final int bracket = rest.indexOf('[');
    if (bracket >= 0) {
      rest = rest.substring(0, bracket);
    }
    String file = "";
    final String[] parts = rest.split("::");
    int first = 0;
    if (parts.length > 1 && parts[0].endsWith(".py")) {
      file = parts[0];
      first = 1;
    }
    final String name = String.join(".", java.util.Arrays.copyOfRange(parts, first, parts.length));
    final int dot = name.lastIndexOf('.');
    return dot < 0 ? new TestId(file, "", name) : new TestId(file, name.substring(0, dot), name.substring(dot + 1));
  }

  /** How pytest titles the test's block in its FAILURES section: {@code TestA.test_b} or {@code test_b}. */
  String qualifiedName() {
    return owner.isEmpty() ? function : owner + "." + function;
  }
}
