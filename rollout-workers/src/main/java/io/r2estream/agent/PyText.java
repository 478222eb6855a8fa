package io.r2estream.agent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The few Python {@code str} operations whose exact results show up in R2E-Gym's observations
 * ({@code splitlines}, {@code split("\n")}, {@code count}, {@code expandtabs}), so that line numbers, snippets and
 * tab widths match what its trained models saw.
 */
final class PyText {

  private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");

  private PyText() {
  }

  /** Python's {@code str.splitlines()}: every Unicode line boundary, no empty last element. */
  static List<String> splitlines(final String s) {
    final List<String> lines = new ArrayList<>();
    int start = 0;
    int i = 0;
    while (i < s.length()) {
      final char c = s.charAt(i);
      if (isLineBoundary(c)) {
        lines.add(s.substring(start, i));
        i += c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n' ? 2 : 1;
        start = i;
      } else {
        i++;
      }
    }
    if (start < s.length()) {
      lines.add(s.substring(start));
    }
    return lines;
  }

  /** Python's {@code str.split("\n")}: trailing empty strings kept. */
  static List<String> splitNewlines(final String s) {
    return Arrays.asList(s.split("\n", -1));
  }

  /** Python's {@code str.count(sub)}: non-overlapping occurrences; the empty string occurs {@code len + 1} times. */
  static int count(final String s, final String sub) {
    if (sub.isEmpty()) {
      return s.length() + 1;
    }
    int n = 0;
    for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) {
      n++;
    }
    return n;
  }

  /** Python's {@code str.expandtabs()}: tabs to the next multiple of 8 columns, columns restarting at line breaks. */
  static String expandtabs(final String s) {
    final StringBuilder out = new StringBuilder(s.length());
    int column = 0;
    for (int i = 0; i < s.length(); i++) {
      final char c = s.charAt(i);
      if (c == '\t') {
        final int spaces = 8 - column % 8;
        out.append(" ".repeat(spaces));
        column += spaces;
      } else {
        out.append(c);
        column = c == '\n' || c == '\r' ? 0 : column + 1;
      }
    }
    return out.toString();
  }

  /** ANSI colour/cursor sequences and carriage returns removed, as R2E-Gym's runtime does for successful commands. */
  static String stripAnsi(final String s) {
    return ANSI.matcher(s).replaceAll("").replace("\r", "");
  }

  private static boolean isLineBoundary(final char c) {
    return c == '\n' || c == '\r' || c == '\u000B' || c == '\u000C' || c == '\u001C' || c == '\u001D'
        || c == '\u001E' || c == '\u0085' || c == '\u2028' || c == '\u2029';
  }
}
