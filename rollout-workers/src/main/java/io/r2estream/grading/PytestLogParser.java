package io.r2estream.grading;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code pytest -rA} output (with or without {@code -v}). Keys are pytest's own node ids, file-qualified
 * exactly as pytest prints them ({@code tests/test_x.py::TestC::test_m[a b]}): R2E-Gym drops the file part, so
 * equal test names in two files collide there.
 *
 * <p>Sources, merged per id with the least passing status winning (a test that passed its call and errored in
 * teardown is ERROR):
 * <ul>
 *   <li>the "short test summary info" section: {@code PASSED|FAILED|ERROR|XFAIL|XPASS <id>[ - message]}; the
 *       message is cut at the first {@code " - "} outside the id's {@code [...]} parameters (so {@code [x - y]}
 *       stays whole and {@code FAILED t.py::test_a - AssertionError: PASSED} is FAILED);</li>
 *   <li>the per-test progress lines of {@code -v} ({@code <id> STATUS [ NN%]}), read only between the session
 *       header and the first section rule, so that output a test prints in the FAILURES section is never read;
 *       they give ids for skipped tests and keep the tests that ran before a time limit cut the log.</li>
 * </ul>
 * A collection error ({@code ERROR tests/test_x.py}, no {@code ::}) is recorded under the file path with ERROR.
 * A summary {@code SKIPPED [N] file:line: reason} names a location, not a test (and N tests may share it): it is
 * not recorded; run with {@code -v} (the default recipe does) to get skipped tests by id.
 * {@code suiteRan} is true when pytest's closing line ({@code ==== 1 failed, 2 passed in 0.12s ====} or
 * {@code no tests ran in}) is present and pytest did not report "Interrupted" (a collection error without
 * {@code --continue-on-collection-errors} stops the session before any test runs).
 */
public final class PytestLogParser implements TestLogParser {

  public static final String NAME = "pytest";

  private static final String STATUS = "PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS";
  private static final Pattern SESSION_START = Pattern.compile("^=+ test session starts =+$");
  /** Any section rule ends the progress region: ERRORS, FAILURES, warnings summary, short summary, the end. */
  private static final Pattern SECTION_RULE = Pattern.compile("^(?:={3,}|!{3,}|_{3,}) .*");
  private static final Pattern PROGRESS = Pattern.compile(
      "^(?<id>\\S.*?::.*?) (?<st>" + STATUS + ")(?: \\(.*\\))?\\s*(?:\\[\\s*\\d+%\\])?\\s*$");
  /** pytest-xdist's progress form: {@code [gw0] [ 50%] PASSED tests/x.py::test_a}. */
  private static final Pattern XDIST_PROGRESS = Pattern.compile(
      "^\\[gw\\d+\\] \\[\\s*\\d+%\\] (?<st>" + STATUS + ") (?<id>\\S.*?)\\s*$");
  private static final Pattern SUMMARY_START = Pattern.compile("^=+ short test summary info =+$");
  private static final Pattern SUMMARY_LINE = Pattern.compile("^(?<st>PASSED|FAILED|ERROR|XFAIL|XPASS) (?<rest>\\S.*)$");
  private static final Pattern FINAL_LINE = Pattern.compile(
      "^(?:=+ )?(?:no tests ran|\\d+ (?:passed|failed|errors?|skipped|xfailed|xpassed|deselected|warnings?|rerun)"
          + "\\b.*) in \\d+(?:\\.\\d+)?s(?: \\([0-9:.]+\\))?(?: =+)?$");
  private static final Pattern INTERRUPTED = Pattern.compile("^!+ (?:Interrupted|KeyboardInterrupt)\\b.*");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ParsedLog parse(final String log) {
    final List<String> lines = LogText.lines(log);
    final Map<String, TestStatus> statuses = new LinkedHashMap<>();
    final Set<String> progressIds = new HashSet<>();
    boolean sawFinal = false;
    boolean interrupted = false;
    int i = indexOf(lines, SESSION_START, 0);
    i = i < 0 ? 0 : i + 1;
    for (; i < lines.size() && !endsProgress(lines.get(i)); i++) {
      final String line = lines.get(i);
      Matcher m = PROGRESS.matcher(line);
      if (!m.matches()) {
        m = XDIST_PROGRESS.matcher(line);
        if (!m.matches()) {
          continue;
        }
      }
      final String id = m.group("id").strip();
      progressIds.add(id);
      StatusMerge.put(statuses, id, TestStatus.valueOf(m.group("st")));
    }
    boolean inSummary = false;
    for (; i < lines.size(); i++) {
      final String line = lines.get(i);
      if (SUMMARY_START.matcher(line).matches()) {
        inSummary = true;
      } else if (FINAL_LINE.matcher(line.strip()).matches()) {
        sawFinal = true;
        inSummary = false;
      } else if (INTERRUPTED.matcher(line).matches()) {
        interrupted = true;
        inSummary = false;
      } else if (inSummary) {
        final Matcher m = SUMMARY_LINE.matcher(line);
        if (m.matches()) {
          StatusMerge.put(statuses, summaryId(m.group("rest"), progressIds), TestStatus.valueOf(m.group("st")));
        }
      }
    }
    return new ParsedLog(statuses, sawFinal && !interrupted);
  }

  /**
   * The node id at the start of a summary line's remainder: a known progress-line id when one fits, else the text
   * up to the first {@code " - "} outside brackets.
   */
  static String summaryId(final String rest, final Set<String> knownIds) {
    String best = null;
    for (final String known : knownIds) {
      if ((rest.equals(known) || rest.startsWith(known + " - ")) && (best == null || known.length() > best.length())) {
        best = known;
      }
    }
    if (best != null) {
      return best;
    }
    int depth = 0;
    for (int k = 0; k < rest.length(); k++) {
      final char c = rest.charAt(k);
      if (c == '[') {
        depth++;
      } else if (c == ']' && depth > 0) {
        depth--;
      } else if (depth == 0 && rest.startsWith(" - ", k)) {
        return rest.substring(0, k).strip();
      }
    }
    if (depth == 0) {
      return rest.strip();
    }
    // Unbalanced brackets inside a parameter: fall back to R2E-Gym's split.
    final int dash = rest.indexOf(" - ");
    return (dash < 0 ? rest : rest.substring(0, dash)).strip();
  }

  /** A section rule, or the closing line of {@code -q} (which has no rule around it). */
  private static boolean endsProgress(final String line) {
    return SECTION_RULE.matcher(line).matches() || FINAL_LINE.matcher(line.strip()).matches();
  }

  private static int indexOf(final List<String> lines, final Pattern p, final int from) {
    for (int i = from; i < lines.size(); i++) {
      if (p.matcher(lines.get(i)).matches()) {
        return i;
      }
    }
    return -1;
  }
}
