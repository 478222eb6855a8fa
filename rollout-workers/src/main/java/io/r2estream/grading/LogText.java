package io.r2estream.grading;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Normalises raw runner output before parsing: ANSI colour and cursor codes removed (a forced-colour or tty run
 * prints them inside test ids), carriage returns turned into line breaks.
 */
final class LogText {

  /** CSI sequences (colours, cursor moves) and the two-byte escapes; what pytest, unittest and tox emit. */
  private static final Pattern ANSI = Pattern.compile("\u001B(?:\\[[0-?]*[ -/]*[@-~]|[@-Z\\\\-_])");

  private LogText() {
  }

  static String stripAnsi(final String text) {
    return ANSI.matcher(text).replaceAll("");
  }

  /** The lines of a log without ANSI codes; a null log has no lines. */
  static List<String> lines(final String log) {
    if (log == null || log.isEmpty()) {
      return List.of();
    }
    return List.of(stripAnsi(log).replace("\r\n", "\n").replace('\r', '\n').split("\n", -1));
  }
}
