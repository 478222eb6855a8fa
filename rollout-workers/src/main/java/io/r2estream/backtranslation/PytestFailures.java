package io.r2estream.backtranslation;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the block pytest prints for one failed test in its FAILURES / ERRORS sections: from the
 * {@code ____ TestA.test_b ____} title line to the next title or section rule. Blocks longer than
 * {@link #MAX_BLOCK} characters keep their first and last {@link #KEEP} characters (R2E-Gym's limits).
 */
final class PytestFailures {

  /** Blocks longer than this are cut. */
  static final int MAX_BLOCK = 8000;
  /** Characters kept at each end of a cut block. */
  static final int KEEP = 3500;

  private static final Pattern TITLE = Pattern.compile("(?m)^_{3,} (.+?) _{3,}\\s*$");
  private static final Pattern SECTION = Pattern.compile("(?m)^={3,}");

  private PytestFailures() {
  }

  static Optional<String> block(final String log, final TestId test) {
    final Matcher titles = TITLE.matcher(log);
    while (titles.find()) {
      final String title = titles.group(1).trim();
      final String bare = title.contains("[") ? title.substring(0, title.indexOf('[')) : title;
      if (bare.equals(test.qualifiedName()) || bare.equals(test.function())
          || bare.endsWith("." + test.qualifiedName())) {
        final int start = titles.start();
        int end = log.length();
        if (titles.find()) {
          end = titles.start();
        }
        final Matcher rule = SECTION.matcher(log);
        if (rule.find(start + 1) && rule.start() < end) {
          end = rule.start();
        }
        return Optional.of(cut(log.substring(start, end).stripTrailing()));
      }
    }
    return Optional.empty();
  }

  static String cut(final String block) {
    if (block.length() <= MAX_BLOCK) {
      return block;
    }
    return block.substring(0, KEEP) + "\n[... " + (block.length() - 2 * KEEP) + " characters cut ...]\n"
        + block.substring(block.length() - KEEP);
  }
}
