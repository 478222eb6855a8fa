package io.r2estream.producers.commits;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.eclipse.jgit.diff.DiffDriver;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.EditList;
import org.eclipse.jgit.diff.RawText;

/**
 * JGit's diff formatter with git's hunk headers: {@code @@ -a,b +c,d @@ <function line>}. Without a diff driver,
 * git appends the nearest line above the hunk (in the old file) that starts with a letter, {@code _} or
 * {@code $}, cut to 80 bytes; JGit leaves it out. Patches then match {@code git diff} byte for byte, which
 * keeps R2E-Gym's round-trip check (re-rendered patch == original diff) meaningful downstream.
 */
final class GitDiffFormatter extends DiffFormatter {

  /** git's {@code struct func_line} buffer. */
  private static final int MAX_FUNC_LINE_BYTES = 80;

  private RawText oldText;
  /** Memo of the previous hunk's search, as git does: lines above it were already searched. */
  private int searchedDownTo;
  private byte[] funcLine;

  GitDiffFormatter(final OutputStream out) {
    super(out);
  }

  @Override
  public void format(final EditList edits, final RawText a, final RawText b, final DiffDriver driver)
      throws IOException {
    oldText = a;
    searchedDownTo = -1;
    funcLine = null;
    super.format(edits, a, b, driver);
  }

  @Override
  protected void writeHunkHeader(final int aStartLine, final int aEndLine, final int bStartLine,
      final int bEndLine) throws IOException {
    writeHunkHeader(aStartLine, aEndLine, bStartLine, bEndLine, null);
  }

  @Override
  protected void writeHunkHeader(final int aStartLine, final int aEndLine, final int bStartLine,
      final int bEndLine, final String ignoredDriverFuncName) throws IOException {
    final OutputStream o = getOutputStream();
    o.write('@');
    o.write('@');
    writeRange(o, '-', aStartLine + 1, aEndLine - aStartLine);
    writeRange(o, '+', bStartLine + 1, bEndLine - bStartLine);
    o.write(' ');
    o.write('@');
    o.write('@');
    final byte[] func = funcLineAbove(aStartLine - 1);
    if (func != null) {
      o.write(' ');
      o.write(func);
    }
    o.write('\n');
  }

  private byte[] funcLineAbove(final int start) {
    if (oldText == null) {
      return null;
    }
    for (int line = Math.min(start, oldText.size() - 1); line > searchedDownTo && line >= 0; line--) {
      final byte[] candidate = funcLine(line);
      if (candidate != null) {
        funcLine = candidate;
        break;
      }
    }
    searchedDownTo = start;
    return funcLine;
  }

  private byte[] funcLine(final int line) {
    final String text = oldText.getString(line);
    if (text.isEmpty()) {
      return null;
    }
    final char first = text.charAt(0);
    if (!(first >= 'a' && first <= 'z' || first >= 'A' && first <= 'Z' || first == '_' || first == '$')) {
      return null;
    }
    final byte[] raw = text.getBytes(StandardCharsets.UTF_8);
    int len = Math.min(raw.length, MAX_FUNC_LINE_BYTES);
    while (len > 0 && Character.isWhitespace(raw[len - 1])) {
      len--;
    }
    final byte[] out = new byte[len];
    System.arraycopy(raw, 0, out, 0, len);
    return out;
  }

  /** git's range syntax: an empty range names the line before it, a one-line range omits the count. */
  private static void writeRange(final OutputStream o, final char prefix, final int begin, final int count)
      throws IOException {
    o.write(' ');
    o.write(prefix);
    final String range = switch (count) {
      case 0 -> (begin - 1) + ",0";
      case 1 -> Integer.toString(begin);
      default -> begin + "," + count;
    };
    o.write(range.getBytes(StandardCharsets.US_ASCII));
  }
}
