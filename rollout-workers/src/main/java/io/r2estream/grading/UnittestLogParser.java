package io.r2estream.grading;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code python -m unittest -v} output. Keys are dotted test ids as unittest itself names and accepts them
 * ({@code pkg.mod.TestC.test_m}, runnable with {@code python -m unittest pkg.mod.TestC.test_m}); a file path
 * cannot be derived from them without knowing the package layout, so none is guessed.
 *
 * <p>Both header forms are read: Python 3.11+ {@code test_m (pkg.mod.TestC.test_m) ... ok} and older
 * {@code test_m (pkg.mod.TestC) ... ok}. When the test has a docstring, unittest prints the header alone and the
 * docstring's first line followed by {@code " ... "} on the next line. Output a test prints lands after
 * {@code " ... "}, pushing the status to a line of its own; the status is then taken from the first line that is
 * exactly a status word. A module that fails to import ({@code unittest.loader._FailedTest}) is recorded under the
 * module name with ERROR, a failing {@code setUpClass} under {@code pkg.mod.TestC.setUpClass}. The
 * {@code FAIL:} / {@code ERROR:} blocks after the run confirm statuses (and catch subtest failures).
 * {@code suiteRan} is true when the {@code Ran N tests in} line is present.
 */
public final class UnittestLogParser implements TestLogParser {

  public static final String NAME = "unittest";

  private static final Pattern HEADER = Pattern.compile("^(?<name>[^\\s(]+) \\((?<cls>[^\\s()]+)\\)(?<tail>.*)$");
  private static final Pattern STATUS_WORD =
      Pattern.compile("^(?:ok|FAIL|ERROR|skipped(?: .*)?|expected failure|unexpected success)$");
  private static final Pattern DETAIL_RULE = Pattern.compile("^={20,}$");
  private static final Pattern DETAIL = Pattern.compile(
      "^(?<kind>FAIL|ERROR|UNEXPECTED SUCCESS): (?<name>[^\\s(]+) \\((?<cls>[^\\s()]+)\\)(?: \\(.*\\))?$");
  private static final Pattern RAN = Pattern.compile("^Ran \\d+ tests? in \\d+(?:\\.\\d+)?s$");
  private static final String FAILED_IMPORT = "unittest.loader._FailedTest";
  private static final String SEP = " ... ";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ParsedLog parse(final String log) {
    final List<String> lines = LogText.lines(log);
    final Map<String, TestStatus> statuses = new LinkedHashMap<>();
    boolean ran = false;
    boolean inDetails = false;
    String pending = null;
    boolean pendingHasSeparator = false;
    for (final String raw : lines) {
      final String line = raw.stripTrailing();
      if (RAN.matcher(line).matches()) {
        ran = true;
        inDetails = false;
        pending = null;
        continue;
      }
      if (DETAIL_RULE.matcher(line).matches()) {
        inDetails = true;
        pending = null;
        continue;
      }
      if (inDetails) {
        final Matcher d = DETAIL.matcher(line);
        if (d.matches()) {
          StatusMerge.put(statuses, id(d.group("name"), d.group("cls")), detailStatus(d.group("kind")));
        }
        continue;
      }
      final Matcher h = HEADER.matcher(line);
      if (h.matches()) {
        pending = id(h.group("name"), h.group("cls"));
        pendingHasSeparator = false;
        final String tail = h.group("tail");
        if (tail.startsWith(SEP.stripTrailing())) {
          pendingHasSeparator = true;
          pending = resolve(statuses, pending, tail.substring(SEP.length() - 1).strip());
        }
        continue;
      }
      if (pending == null) {
        continue;
      }
      if (pendingHasSeparator) {
        pending = resolve(statuses, pending, line.strip());
      } else {
        // The docstring line: the status follows the last " ... " that is followed by a status word.
        final int at = lastSeparatorBeforeStatus(line);
        if (at >= 0) {
          pendingHasSeparator = true;
          pending = resolve(statuses, pending, line.substring(at + SEP.length()).strip());
        } else if (line.contains(SEP.stripTrailing())) {
          pendingHasSeparator = true;
        }
      }
    }
    return new ParsedLog(statuses, ran);
  }

  /** Records the status when {@code text} is one; returns the test still waiting for its status, or null. */
  private static String resolve(final Map<String, TestStatus> statuses, final String pending, final String text) {
    if (!STATUS_WORD.matcher(text).matches()) {
      return pending;
    }
    StatusMerge.put(statuses, pending, wordStatus(text));
    return null;
  }

  private static int lastSeparatorBeforeStatus(final String line) {
    int at = line.lastIndexOf(SEP.stripTrailing());
    while (at >= 0) {
      if (STATUS_WORD.matcher(line.substring(at + SEP.length() - 1).strip()).matches()) {
        return at;
      }
      at = line.lastIndexOf(SEP.stripTrailing(), at - 1);
    }
    return -1;
  }

  /** {@code test_m (pkg.mod.TestC.test_m)} and {@code test_m (pkg.mod.TestC)} both give pkg.mod.TestC.test_m. */
  static String id(final String name, final String cls) {
    if (cls.equals(FAILED_IMPORT) || cls.equals(FAILED_IMPORT + "." + name)) {
      return name;
    }
    return cls.endsWith("." + name) ? cls : cls + "." + name;
  }

  private static TestStatus wordStatus(final String word) {
    if (word.startsWith("skipped")) {
      return TestStatus.SKIPPED;
    }
    return switch (word) {
      case "ok" -> TestStatus.PASSED;
      case "FAIL" -> TestStatus.FAILED;
      case "expected failure" -> TestStatus.XFAIL;
      case "unexpected success" -> TestStatus.XPASS;
      default -> TestStatus.ERROR;
    };
  }

  private static TestStatus detailStatus(final String kind) {
    return switch (kind) {
      case "FAIL" -> TestStatus.FAILED;
      case "UNEXPECTED SUCCESS" -> TestStatus.XPASS;
      default -> TestStatus.ERROR;
    };
  }
}
