package io.r2estream.streams.envgen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the hunks of one file's unified diff section (git format): for each hunk, the old line numbers of its
 * deleted lines and the new line numbers of its added lines, both 1-based. Hand-written rather than JGit's
 * patch parser because the selector calls it for every Python file of every commit and needs nothing else.
 */
final class UnifiedDiffHunks {

  /** One hunk: deleted lines in old coordinates, added lines in new coordinates, ascending. */
  record Hunk(int[] deletedOldLines, int[] addedNewLines) {
  }

  private UnifiedDiffHunks() {
  }

  /** Number of hunk headers in a patch, without parsing the hunks (null patch = 0). */
  static int count(final String patch) {
    if (patch == null) {
      return 0;
    }
    int n = patch.startsWith("@@ ") ? 1 : 0;
    int i = patch.indexOf("\n@@ ");
    while (i >= 0) {
      n++;
      i = patch.indexOf("\n@@ ", i + 4);
    }
    return n;
  }

  /**
   * Parses every hunk of a patch.
   *
   * @throws IllegalArgumentException when a hunk header is malformed or a hunk ends before its announced length
   */
  static List<Hunk> parse(final String patch) {
    final List<Hunk> hunks = new ArrayList<>(4);
    if (patch == null) {
      return hunks;
    }
    final int len = patch.length();
    int pos = 0;
    while (pos < len) {
      int eol = patch.indexOf('\n', pos);
      if (eol < 0) {
        eol = len;
      }
      if (patch.startsWith("@@ ", pos)) {
        pos = readHunk(patch, pos, eol, hunks);
      } else {
        pos = eol + 1;
      }
    }
    return hunks;
  }

  /** Reads the hunk whose header spans [start, eol) and returns the position after its last line. */
  private static int readHunk(final String patch, final int start, final int eol, final List<Hunk> out) {
    final int[] range = header(patch, start, eol);
    int oldLine = range[0];
    int remainingOld = range[1];
    int newLine = range[2];
    int remainingNew = range[3];
    final IntList deleted = new IntList();
    final IntList added = new IntList();
    int pos = eol + 1;
    final int len = patch.length();
    while ((remainingOld > 0 || remainingNew > 0) && pos < len) {
      int next = patch.indexOf('\n', pos);
      if (next < 0) {
        next = len;
      }
      final char c = next == pos ? ' ' : patch.charAt(pos);
      switch (c) {
        case ' ' -> {
          oldLine++;
          newLine++;
          remainingOld--;
          remainingNew--;
        }
        case '-' -> {
          deleted.add(oldLine++);
          remainingOld--;
        }
        case '+' -> {
          added.add(newLine++);
          remainingNew--;
        }
        case '\\' -> {
          // "\ No newline at end of file" belongs to the previous line.
        }
        default -> throw new IllegalArgumentException("unexpected line in hunk '"
            + patch.substring(start, eol) + "': '" + patch.substring(pos, Math.min(next, pos + 80)) + "'");
      }
      pos = next + 1;
    }
    if (remainingOld > 0 || remainingNew > 0) {
      throw new IllegalArgumentException("hunk '" + patch.substring(start, eol) + "' ends early: "
          + remainingOld + " old and " + remainingNew + " new lines missing");
    }
    out.add(new Hunk(deleted.toArray(), added.toArray()));
    return pos;
  }

  /** {oldStart, oldCount, newStart, newCount} of "@@ -a[,b] +c[,d] @@ section". */
  private static int[] header(final String patch, final int start, final int eol) {
    final int minus = patch.indexOf('-', start + 3);
    final int plus = patch.indexOf(" +", start + 3);
    final int close = plus < 0 ? -1 : patch.indexOf(" @@", plus + 2);
    if (minus != start + 3 || plus < 0 || close < 0 || close > eol) {
      throw new IllegalArgumentException("malformed hunk header '" + patch.substring(start, eol) + "'");
    }
    final int[] r = new int[4];
    range(patch, minus + 1, plus, r, 0, start, eol);
    range(patch, plus + 2, close, r, 2, start, eol);
    // For an empty range git names the line before it, so the first real line is start + 1.
    if (r[1] == 0) {
      r[0]++;
    }
    if (r[3] == 0) {
      r[2]++;
    }
    return r;
  }

  private static void range(final String patch, final int from, final int to, final int[] r, final int at,
      final int start, final int eol) {
    final int comma = patch.indexOf(',', from);
    try {
      if (comma >= 0 && comma < to) {
        r[at] = Integer.parseInt(patch, from, comma, 10);
        r[at + 1] = Integer.parseInt(patch, comma + 1, to, 10);
      } else {
        r[at] = Integer.parseInt(patch, from, to, 10);
        r[at + 1] = 1;
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("malformed hunk header '" + patch.substring(start, eol) + "'", e);
    }
  }

  /** A growable int array: hunks are parsed per commit, boxing every line number would be wasteful. */
  private static final class IntList {
    private int[] values = new int[8];
    private int size;

    void add(final int v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    int[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}
