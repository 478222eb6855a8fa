package io.r2estream.verifier.judge;

import io.r2estream.envbuilder.PatchFiles;

/**
 * The patch the judge is shown: the candidate's diff restricted to files that existed at the base commit (R2E-Gym's
 * {@code true_output_patch_only_existing_files}). Files the agent created, such as its reproduction scripts, are
 * dropped: they are scaffolding, not the fix.
 */
public final class FinalPatch {

  private FinalPatch() {
  }

  /** {@code patch} without the sections that create a file. */
  public static String onlyExistingFiles(final String patch) {
    final StringBuilder out = new StringBuilder();
    for (final String section : PatchFiles.sections(patch)) {
      if (!createsFile(section)) {
        out.append(section);
      }
    }
    return out.toString();
  }

  /** A {@code new file mode} line or a {@code --- /dev/null} old side, before the first hunk. */
  static boolean createsFile(final String section) {
    for (final String line : section.split("\n")) {
      if (line.startsWith("new file mode ") || line.equals("--- /dev/null")) {
        return true;
      }
      if (line.startsWith("@@") || line.startsWith("GIT binary patch") || line.startsWith("+++ ")) {
        return false;
      }
    }
    return false;
  }
}
