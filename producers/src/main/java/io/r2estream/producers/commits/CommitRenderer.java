package io.r2estream.producers.commits;

import io.r2estream.avro.ChangeType;
import io.r2estream.avro.CommitEvent;
import io.r2estream.avro.FileChange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RenameDetector;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.patch.FileHeader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Turns one commit into a {@link CommitEvent}: per-file changes against the first parent, git-format patches,
 * Python contents, with the size caps of {@link ScanLimits}. One renderer per thread: it owns an object reader,
 * a diff formatter and its output buffer, all reused from commit to commit.
 */
final class CommitRenderer implements AutoCloseable {

  /** git's default rename similarity (diff.renames, -M50%); JGit's own default is 60. */
  static final int GIT_RENAME_SCORE = 50;
  /** git's default diff.renameLimit; JGit's own default is 400. */
  static final int GIT_RENAME_LIMIT = 1000;
  /** git's default number of context lines (-U3). */
  static final int CONTEXT_LINES = 3;
  /** Room for the event's fixed fields and the Avro framing of each file, in the size estimate. */
  private static final int EVENT_OVERHEAD_BYTES = 512;
  private static final int FILE_OVERHEAD_BYTES = 64;
  private static final byte[] EMPTY = new byte[0];

  private final String repositoryId;
  private final ScanLimits limits;
  private final String source;
  private final Clock clock;
  private final CachingObjectReader reader;
  private final PatchBuffer out = new PatchBuffer();
  private final GitDiffFormatter formatter;
  private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

  CommitRenderer(final Repository repo, final BlobCache cache, final String repositoryId, final ScanLimits limits,
      final EventSource source, final Clock clock) {
    this.repositoryId = repositoryId;
    this.limits = limits;
    this.source = source.wireName();
    this.clock = clock;
    this.reader = new CachingObjectReader(repo.newObjectReader(), cache);
    this.formatter = new GitDiffFormatter(out);
    formatter.setReader(reader, repo.getConfig());
    formatter.setContext(CONTEXT_LINES);
    formatter.setDetectRenames(true);
    final RenameDetector renames = formatter.getRenameDetector();
    renames.setRenameScore(GIT_RENAME_SCORE);
    renames.setRenameLimit(GIT_RENAME_LIMIT);
  }

  CommitEvent render(final ObjectId commitId) throws IOException {
    try (RevWalk walk = new RevWalk(reader)) {
      final RevCommit commit = walk.parseCommit(commitId);
      final RevCommit parent = commit.getParentCount() == 0 ? null : walk.parseCommit(commit.getParent(0));
      final List<DiffEntry> entries = formatter.scan(parent == null ? null : parent.getTree(), commit.getTree());
      final List<Draft> drafts = new ArrayList<>(entries.size());
      long remaining = limits.maxPatchBytes();
      long diffBytes = 0;
      for (final DiffEntry entry : entries) {
        final Draft draft = renderFile(entry, remaining);
        remaining -= draft.patchBytes;
        diffBytes += draft.fullPatchBytes;
        drafts.add(draft);
      }
      final String message = commit.getFullMessage();
      fitEventCap(commit.name(), message, drafts);
      final List<FileChange> files = new ArrayList<>(drafts.size());
      boolean truncated = false;
      for (final Draft d : drafts) {
        files.add(d.file);
        truncated |= d.file.getPatchTruncated();
      }
      return new CommitEvent(repositoryId, commit.name(), parent == null ? null : parent.name(),
          commit.getAuthorIdent().getName(), commit.getAuthorIdent().getEmailAddress(),
          commit.getAuthorIdent().getWhenAsInstant(), commit.getCommitterIdent().getName(),
          commit.getCommitterIdent().getEmailAddress(), commit.getCommitterIdent().getWhenAsInstant(),
          message, files, diffBytes, truncated, source, clock.instant(), null);
    }
  }

  private Draft renderFile(final DiffEntry entry, final long patchBudget) throws IOException {
    final ChangeType type = ChangeType.valueOf(entry.getChangeType().name());
    final String oldPath = type == ChangeType.ADD ? null : entry.getOldPath();
    final String newPath = type == ChangeType.DELETE ? null : entry.getNewPath();
    final String path = newPath != null ? newPath : oldPath;
    final String language = FileClassifier.language(path);
    final boolean gitlink = entry.getOldMode() == FileMode.GITLINK || entry.getNewMode() == FileMode.GITLINK;

    final FileHeader header = gitlink ? null : formatter.toFileHeader(entry);
    final boolean binary = header != null && header.getPatchType() != FileHeader.PatchType.UNIFIED;
    byte[] oldBytes = EMPTY;
    byte[] newBytes = EMPTY;
    String oldText = null;
    String newText = null;
    boolean nonUtf8 = false;
    int additions = 0;
    int deletions = 0;
    if (header != null && !binary) {
      oldBytes = blob(entry.getOldMode(), entry.getOldId().toObjectId());
      newBytes = blob(entry.getNewMode(), entry.getNewId().toObjectId());
      oldText = decode(oldBytes);
      newText = decode(newBytes);
      nonUtf8 = oldText == null || newText == null;
      for (final Edit edit : header.toEditList()) {
        additions += edit.getLengthB();
        deletions += edit.getLengthA();
      }
    }

    // Binary and non-UTF-8 patches are rendered only to be counted in diff_bytes (limit 0 keeps nothing).
    final boolean patchWanted = !binary && !nonUtf8;
    out.start(patchWanted ? Math.max(0, patchBudget) : 0);
    if (header == null) {
      formatter.format(entry);
    } else {
      formatter.format(header, binary ? null : new RawText(oldBytes), binary ? null : new RawText(newBytes));
    }
    formatter.flush();

    String patch = null;
    boolean patchTruncated = false;
    if (patchWanted) {
      if (out.overflowed()) {
        patchTruncated = true;
      } else {
        patch = out.text();
      }
    }
    String oldContent = null;
    String newContent = null;
    boolean contentTruncated = false;
    if (FileClassifier.needsContents(language) && patchWanted && header != null) {
      if (oldBytes.length > limits.maxContentBytes() || newBytes.length > limits.maxContentBytes()) {
        contentTruncated = true;
      } else {
        oldContent = type == ChangeType.ADD ? null : oldText;
        newContent = type == ChangeType.DELETE ? null : newText;
      }
    }
    final FileChange file = new FileChange(oldPath, newPath, type, additions, deletions, binary,
        FileClassifier.isTestFile(path), language, nonUtf8, patch, patchTruncated, oldContent, newContent,
        contentTruncated);
    final Draft draft = new Draft(file, out.total());
    draft.patchBytes = patch == null ? 0 : out.total();
    draft.contentBytes = (oldContent == null ? 0 : oldBytes.length) + (newContent == null ? 0 : newBytes.length);
    draft.pathBytes = utf8Length(oldPath) + utf8Length(newPath);
    return draft;
  }

  private byte[] blob(final FileMode mode, final AnyObjectId id) throws IOException {
    return mode == FileMode.MISSING ? EMPTY : reader.blobBytes(id);
  }

  /** The text of a blob, or null when it is not valid UTF-8. */
  private String decode(final byte[] bytes) {
    boolean ascii = true;
    for (final byte b : bytes) {
      if (b < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
    try {
      return utf8.decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /**
   * Keeps the event under {@link ScanLimits#maxEventBytes()} by dropping the largest pieces first (a file's
   * contents, or its patch; contents first on equal sizes), so that small files keep everything. A commit whose
   * bare file list is still too big cannot be published and fails.
   */
  private void fitEventCap(final String sha, final String message, final List<Draft> drafts) {
    long size = EVENT_OVERHEAD_BYTES + utf8Length(message);
    for (final Draft d : drafts) {
      size += FILE_OVERHEAD_BYTES + d.pathBytes + d.patchBytes + d.contentBytes;
    }
    if (size <= limits.maxEventBytes()) {
      return;
    }
    final List<Piece> pieces = new ArrayList<>();
    for (final Draft d : drafts) {
      if (d.contentBytes > 0) {
        pieces.add(new Piece(d, true, d.contentBytes));
      }
      if (d.patchBytes > 0) {
        pieces.add(new Piece(d, false, d.patchBytes));
      }
    }
    pieces.sort(Comparator.comparingLong(Piece::bytes).reversed().thenComparing(p -> !p.content()));
    for (final Piece p : pieces) {
      if (size <= limits.maxEventBytes()) {
        break;
      }
      size -= p.bytes();
      if (p.content()) {
        p.draft().file.setOldContent(null);
        p.draft().file.setNewContent(null);
        p.draft().file.setContentTruncated(true);
      } else {
        p.draft().file.setPatch(null);
        p.draft().file.setPatchTruncated(true);
      }
    }
    if (size > limits.maxEventBytes()) {
      throw new IllegalStateException("commit " + sha + " needs about " + size + " bytes for its " + drafts.size()
          + " file entries even without patches and contents, above the event cap of " + limits.maxEventBytes());
    }
  }

  /** A droppable part of an event. */
  private record Piece(Draft draft, boolean content, long bytes) {
  }

  static long utf8Length(final String s) {
    if (s == null) {
      return 0;
    }
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      final char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  @Override
  public void close() {
    formatter.close();
    reader.close();
  }

  /** A file change being built, with the sizes the event cap works on. */
  private static final class Draft {
    private final FileChange file;
    private final long fullPatchBytes;
    private long patchBytes;
    private long contentBytes;
    private long pathBytes;

    private Draft(final FileChange file, final long fullPatchBytes) {
      this.file = file;
      this.fullPatchBytes = fullPatchBytes;
    }
  }
}
