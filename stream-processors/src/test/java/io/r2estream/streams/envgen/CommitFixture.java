package io.r2estream.streams.envgen;

import io.r2estream.avro.ChangeType;
import io.r2estream.avro.CommitEvent;
import io.r2estream.avro.FileChange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.jgit.diff.DiffAlgorithm;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.diff.EditList;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;

/**
 * Builds {@link CommitEvent}s for tests the way the commit producer does: per-file git-format patches made by
 * JGit's diff (histogram, 3 lines of context), +/- counts from the same edit list, R2E's test-file predicate,
 * and Python contents.
 */
final class CommitFixture {

  private final List<FileChange> files = new ArrayList<>();
  private String repository = "acme/widgets";
  private String sha = "c0ffee";
  private String parent = "beef00";

  static CommitFixture commit() {
    return new CommitFixture();
  }

  CommitFixture sha(final String value) {
    this.sha = value;
    return this;
  }

  CommitFixture repository(final String value) {
    this.repository = value;
    return this;
  }

  CommitFixture root() {
    this.parent = null;
    return this;
  }

  CommitFixture modify(final String path, final String before, final String after) {
    return file(ChangeType.MODIFY, path, path, before, after, b -> { });
  }

  CommitFixture add(final String path, final String content) {
    return file(ChangeType.ADD, null, path, "", content, b -> { });
  }

  CommitFixture delete(final String path, final String content) {
    return file(ChangeType.DELETE, path, null, content, "", b -> { });
  }

  /** A modification whose FileChange the test then alters (flags, contents). */
  CommitFixture modify(final String path, final String before, final String after,
      final Consumer<FileChange.Builder> tweak) {
    return file(ChangeType.MODIFY, path, path, before, after, tweak);
  }

  CommitFixture binary(final String path) {
    files.add(FileChange.newBuilder().setOldPath(path).setNewPath(path).setChangeType(ChangeType.MODIFY)
        .setBinary(true).setTestFile(isTestFile(path)).build());
    return this;
  }

  CommitFixture rename(final String from, final String to, final String content) {
    files.add(FileChange.newBuilder().setOldPath(from).setNewPath(to).setChangeType(ChangeType.RENAME)
        .setTestFile(isTestFile(to)).setOldContent(content).setNewContent(content)
        .setPatch("diff --git a/" + from + " b/" + to + "\nsimilarity index 100%\nrename from " + from
            + "\nrename to " + to + "\n").build());
    return this;
  }

  CommitEvent build() {
    final Instant t = Instant.parse("2024-05-01T10:00:00Z");
    return CommitEvent.newBuilder().setRepository(repository).setSha(sha).setParentSha(parent)
        .setAuthorTime(t).setCommitTime(t).setMessage("Fix the widget").setFiles(new ArrayList<>(files))
        .setIngestedAt(t).build();
  }

  String taskId() {
    return repository + "@" + sha;
  }

  private CommitFixture file(final ChangeType type, final String oldPath, final String newPath,
      final String before, final String after, final Consumer<FileChange.Builder> tweak) {
    final String path = newPath != null ? newPath : oldPath;
    final RawText a = new RawText(before.getBytes(StandardCharsets.UTF_8));
    final RawText b = new RawText(after.getBytes(StandardCharsets.UTF_8));
    final EditList edits = DiffAlgorithm.getAlgorithm(DiffAlgorithm.SupportedAlgorithm.HISTOGRAM)
        .diff(RawTextComparator.DEFAULT, a, b);
    int additions = 0;
    int deletions = 0;
    for (final Edit e : edits) {
      additions += e.getLengthB();
      deletions += e.getLengthA();
    }
    final boolean python = path.endsWith(".py");
    final FileChange.Builder fc = FileChange.newBuilder().setOldPath(oldPath).setNewPath(newPath)
        .setChangeType(type).setAdditions(additions).setDeletions(deletions).setTestFile(isTestFile(path))
        .setLanguage(python ? "python" : null)
        .setPatch(header(type, path) + hunks(edits, a, b))
        .setOldContent(python && type != ChangeType.ADD ? before : null)
        .setNewContent(python && type != ChangeType.DELETE ? after : null);
    tweak.accept(fc);
    files.add(fc.build());
    return this;
  }

  private static String header(final ChangeType type, final String path) {
    return switch (type) {
      case ADD -> "diff --git a/" + path + " b/" + path + "\nnew file mode 100644\nindex 0000000..1111111\n"
          + "--- /dev/null\n+++ b/" + path + "\n";
      case DELETE -> "diff --git a/" + path + " b/" + path + "\ndeleted file mode 100644\nindex 1111111..0000000\n"
          + "--- a/" + path + "\n+++ /dev/null\n";
      default -> "diff --git a/" + path + " b/" + path + "\nindex 1111111..2222222 100644\n--- a/" + path
          + "\n+++ b/" + path + "\n";
    };
  }

  private static String hunks(final EditList edits, final RawText a, final RawText b) {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DiffFormatter f = new DiffFormatter(out)) {
      f.setContext(3);
      f.format(edits, a, b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** R2E-Gym's predicate (reference Appendix A.2), as the producer computes it. */
  static boolean isTestFile(final String path) {
    final String base = path.substring(path.lastIndexOf('/') + 1);
    if (path.endsWith("_test.py") || path.startsWith("test_") || base.startsWith("test_")) {
      return true;
    }
    for (final String part : path.split("/")) {
      if (part.equals("tests") || part.equals("Tests") || part.equals("test") || part.equals("Test")) {
        return true;
      }
    }
    return false;
  }
}
