package io.r2estream.envbuilder;

import java.util.ArrayList;
import java.util.List;

/** Splits a multi-file git unified diff into its per-file sections. */
public final class PatchFiles {

  private PatchFiles() {
  }

  /** The sections of a diff, each starting at its {@code diff --git} line. */
  public static List<String> sections(final String patch) {
    final List<String> out = new ArrayList<>();
    int start = -1;
    int i = 0;
    while (i < patch.length()) {
      final int eol = patch.indexOf('\n', i);
      final int next = eol < 0 ? patch.length() : eol + 1;
      if (patch.startsWith("diff --git ", i)) {
        if (start >= 0) {
          out.add(patch.substring(start, i));
        }
        start = i;
      }
      i = next;
    }
    if (start >= 0) {
      out.add(patch.substring(start));
    }
    return out;
  }

  /** The path a section changes ({@code b/} side, or {@code a/} for a deletion). */
  public static String path(final String section) {
    for (final String line : section.split("\n", 8)) {
      if (line.startsWith("+++ b/")) {
        return line.substring(6);
      }
      if (line.startsWith("--- a/")) {
        final String a = line.substring(6);
        if (!section.contains("\n+++ b/")) {
          return a;
        }
      }
    }
    final String head = section.substring(0, section.indexOf('\n') < 0 ? section.length() : section.indexOf('\n'));
    final int b = head.lastIndexOf(" b/");
    return b < 0 ? head : head.substring(b + 3);
  }

  /** The diff without the section of {@code file}. */
  public static String without(final String patch, final String file) {
    final StringBuilder sb = new StringBuilder();
    for (final String s : sections(patch)) {
      if (!path(s).equals(file)) {
        sb.append(s);
      }
    }
    return sb.toString();
  }
}
