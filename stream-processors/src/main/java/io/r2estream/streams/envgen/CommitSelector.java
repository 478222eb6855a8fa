package io.r2estream.streams.envgen;

import io.r2estream.avro.ChangeType;
import io.r2estream.avro.CommitEvent;
import io.r2estream.avro.CommitRejection;
import io.r2estream.avro.EditStats;
import io.r2estream.avro.Entity;
import io.r2estream.avro.EntityChange;
import io.r2estream.avro.EntityKind;
import io.r2estream.avro.EnvCandidate;
import io.r2estream.avro.FileChange;
import io.r2estream.topics.TaskIds;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * SWE-GEN commit selection as a pure function: applies the rules of {@link SweGenRule} in order and returns
 * either an {@link EnvCandidate} or a {@link CommitRejection} naming the first failing rule with the measured
 * values. Structural and size rules run on the event's counters before any Python is parsed; only commits that
 * pass them pay for parsing. Thread-safe: with the tokens parser, all threads share the parsed file versions they
 * have seen ({@link SharedPythonFiles}); with tree-sitter, whose trees cannot be shared, each thread has its own
 * parser and memory ({@link RecentPythonFiles}). Consecutive commits share file versions, hence the memories.
 */
public final class CommitSelector {

  private static final int NAMES_IN_REASON = 5;
  /**
   * Source characters of the parsed versions all threads share: ~16 MB of sources, ~130 MB with their tokens. A
   * topology working through a backlog decides partitions thousands of commits apart in history order, and a version
   * evicted before its next commit is parsed again.
   */
  private static final long SHARED_REMEMBERED_CHARS = 16L * 1024 * 1024;

  private final SweGenConfig config;
  private final String version;
  private final Clock clock;
  private final ThreadLocal<FileParser> parsers;
  /** Token modules are immutable once built, so all threads share one memory of them; null with tree-sitter. */
  private final SharedPythonFiles tokenFiles;

  public CommitSelector(final SweGenConfig config) {
    this(config, Clock.systemUTC());
  }

  public CommitSelector(final SweGenConfig config, final Clock clock) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.version = config.fingerprint();
    this.tokenFiles = config.pythonParser() != SweGenConfig.Parser.TOKENS ? null
        : new SharedPythonFiles(new TokenPythonParser(config.decoratorsInEntity()), SHARED_REMEMBERED_CHARS);
    this.parsers = ThreadLocal.withInitial(() -> fileParser(config));
  }

  /** Parses the versions of one file; {@code near} is a close version of it (the old one), or null. */
  @FunctionalInterface
  private interface FileParser {
    PythonModule parse(String file, String source, PythonModule near);
  }

  private FileParser fileParser(final SweGenConfig config) {
    if (config.pythonParser() == SweGenConfig.Parser.TREE_SITTER) {
      // tree-sitter pays per byte parsed, so recently parsed versions are reused and edits parsed incrementally;
      // its trees may not be shared by threads.
      final RecentPythonFiles files = new RecentPythonFiles(new TreeSitterPythonParser(config.decoratorsInEntity()),
          RecentPythonFiles.MAX_REMEMBERED_CHARS);
      return (file, source, near) -> files.parse(file, source, (TreeSitterPythonModule) near);
    }
    return (file, source, near) -> tokenFiles.parse(source);
  }

  /** The selector_version written on every decision: the fingerprint of the configuration. */
  public String selectorVersion() {
    return version;
  }

  /**
   * Decides one commit.
   *
   * @throws IllegalArgumentException when the event is malformed (blank repository or sha, a file without a
   *     path, a patch that is not a unified diff): a producer bug, not a rejection
   */
  public Selection select(final CommitEvent e) {
    final String taskId = TaskIds.of(e.getRepository(), e.getSha());
    final Decision d = new Decision(e, taskId);
    final List<FileChange> files = e.getFiles();
    if (e.getParentSha() == null || e.getParentSha().isBlank()) {
      return d.reject(SweGenRule.ROOT_COMMIT, "commit " + e.getSha() + " has no parent", null);
    }
    if (files == null || files.isEmpty()) {
      return d.reject(SweGenRule.EMPTY_COMMIT, "commit " + e.getSha() + " touches no file", null);
    }
    final FileInfo[] info = new FileInfo[files.size()];
    for (int i = 0; i < info.length; i++) {
      info[i] = FileInfo.of(files.get(i));
    }
    for (final FileInfo f : info) {
      if (f.renamed()) {
        return d.reject(SweGenRule.RENAMED_FILES, "renames " + f.change.getOldPath() + " to "
            + f.change.getNewPath() + " (" + f.change.getChangeType() + ")", null);
      }
    }
    final String truncated = truncation(e, info);
    if (truncated != null) {
      return d.reject(SweGenRule.DIFF_TRUNCATED, truncated, null);
    }
    final Stats s = new Stats(info);
    if (s.pythonFiles == 0) {
      return d.reject(SweGenRule.NO_PYTHON_FILES, "touches no .py file among " + info.length + " files", s.avro());
    }
    for (final FileInfo f : info) {
      if (f.change.getBinary() || f.change.getNonUtf8() || !config.allowedExtensions().contains(f.extension)) {
        final String why = f.change.getBinary() ? "is binary" : f.change.getNonUtf8() ? "is not UTF-8 text"
            : "has extension '" + f.extension + "', outside the allow-list";
        return d.reject(SweGenRule.NON_PYTHON_FILES, f.path + " " + why, s.avro());
      }
    }
    if (s.nonTestFiles == 0) {
      return d.reject(SweGenRule.NO_NON_TEST_FILES, "all " + info.length + " files are test files", s.avro());
    }
    if (s.nonTestFiles > config.maxNonTestFiles()) {
      return d.reject(SweGenRule.TOO_MANY_NON_TEST_FILES, s.nonTestFiles + " non-test files, at most "
          + config.maxNonTestFiles() + " allowed", s.avro());
    }
    if (s.hunks < config.minHunks()) {
      return d.reject(SweGenRule.NO_HUNKS, s.hunks + " hunks, at least " + config.minHunks() + " required",
          s.avro());
    }
    if (s.nonTestEditedLines == 0 || s.nonTestEditedLines > config.maxNonTestEditedLines()) {
      return d.reject(SweGenRule.TOO_MANY_EDITED_LINES, s.nonTestEditedLines
          + " added+deleted lines in non-test files, allowed 1 to " + config.maxNonTestEditedLines(), s.avro());
    }
    if (s.pythonPatchChars > config.maxPythonPatchChars()) {
      return d.reject(SweGenRule.PATCH_TOO_LONG, ".py patches are " + s.pythonPatchChars + " characters, at most "
          + config.maxPythonPatchChars() + " allowed", s.avro());
    }
    return selectByEntities(d, info, s);
  }

  private Selection selectByEntities(final Decision d, final FileInfo[] info, final Stats s) {
    final FileParser parser = parsers.get();
    final EntityChanges changes = new EntityChanges();
    for (final FileInfo f : info) {
      if (!f.python) {
        continue;
      }
      final String oldSource = f.change.getChangeType() == ChangeType.ADD ? null : f.change.getOldContent();
      final String newSource = f.change.getChangeType() == ChangeType.DELETE ? null : f.change.getNewContent();
      final String file = d.event.getRepository() + '\0' + f.path;
      final PythonModule before = oldSource == null ? null : parser.parse(file, oldSource, null);
      if (before != null && before.syntaxError() != null) {
        return d.reject(SweGenRule.PYTHON_SYNTAX_ERROR, f.path + " (before the commit) does not parse: "
            + before.syntaxError(), s.avro());
      }
      final PythonModule after = newSource == null ? null : parser.parse(file, newSource, before);
      if (after != null && after.syntaxError() != null) {
        return d.reject(SweGenRule.PYTHON_SYNTAX_ERROR, f.path + " (after the commit) does not parse: "
            + after.syntaxError(), s.avro());
      }
      changes.addFile(f.path, f.change.getTestFile(), before, after, UnifiedDiffHunks.parse(f.change.getPatch()));
    }
    final List<EntityChanges.Touched> added = changes.nonTest(EntityChange.ADDED);
    final List<EntityChanges.Touched> deleted = changes.nonTest(EntityChange.DELETED);
    final List<EntityChanges.Touched> modified = changes.nonTest(EntityChange.MODIFIED);
    final List<EntityChanges.Touched> tests = changes.testEntities();
    s.added = added.size();
    s.deleted = deleted.size();
    s.edited = modified.size();
    s.statements = changes.statementChanges();
    s.testEntities = tests.size();
    if (config.docstringFilter() && !changes.changesCode()) {
      return d.reject(SweGenRule.DOCSTRING_ONLY, "the non-test changes to " + names(modified)
          + " only touch docstrings, comments or formatting", s.avro());
    }
    if (config.bugEditFilter()) {
      if (s.deleted > config.maxDeletedEntities()) {
        return d.reject(SweGenRule.ENTITIES_DELETED, "deletes " + s.deleted + " non-test entities (" + names(deleted)
            + "), at most " + config.maxDeletedEntities() + " allowed", s.avro());
      }
      if (s.added > config.maxAddedEntities()) {
        return d.reject(SweGenRule.TOO_MANY_ADDED_ENTITIES, "adds " + s.added + " non-test entities ("
            + names(added) + "), at most " + config.maxAddedEntities() + " allowed", s.avro());
      }
      if (s.edited < config.minEditedEntities() || s.edited > config.maxEditedEntities()) {
        return d.reject(SweGenRule.EDITED_ENTITIES_OUT_OF_RANGE, "modifies " + s.edited + " non-test entities ("
            + names(modified) + "), allowed " + config.minEditedEntities() + " to " + config.maxEditedEntities(),
            s.avro());
      }
      if (s.statements > config.maxStatementChanges()) {
        return d.reject(SweGenRule.TOO_MANY_STATEMENT_CHANGES, "touches " + s.statements
            + " top-level statements, at most " + config.maxStatementChanges() + " allowed", s.avro());
      }
    }
    if (config.testEntityFilter() && tests.isEmpty()) {
      return d.reject(SweGenRule.NO_TEST_ENTITY_EDIT, "edits no function, class or method of a test file ("
          + s.testFiles + " test files touched)", s.avro());
    }
    if (config.testMatchFilter() && changes.testMatch() == null) {
      return d.reject(SweGenRule.NO_TEST_MATCH, "no test entity among " + names(tests)
          + " names or calls the modified " + names(modified), s.avro());
    }
    return new Selection.Selected(d.candidate(info, changes, s));
  }

  /** Why a needed patch or content is missing, or null. */
  private static String truncation(final CommitEvent e, final FileInfo[] info) {
    if (e.getDiffTruncated()) {
      return "the producer's diff cap omitted file patches (full diff " + e.getDiffBytes() + " bytes)";
    }
    for (final FileInfo f : info) {
      final FileChange c = f.change;
      if (c.getPatchTruncated()) {
        return "the patch of " + f.path + " was omitted by the producer's diff cap";
      }
      final boolean text = !c.getBinary() && !c.getNonUtf8();
      if (text && c.getPatch() == null && c.getAdditions() + c.getDeletions() > 0) {
        return "the patch of " + f.path + " is missing (" + c.getAdditions() + "+/" + c.getDeletions() + "-)";
      }
      if (!f.python || !text) {
        continue;
      }
      if (c.getContentTruncated()) {
        return "the contents of " + f.path + " were omitted by the producer's size cap";
      }
      if (c.getChangeType() != ChangeType.ADD && c.getOldContent() == null) {
        return "the old content of " + f.path + " is missing";
      }
      if (c.getChangeType() != ChangeType.DELETE && c.getNewContent() == null) {
        return "the new content of " + f.path + " is missing";
      }
    }
    return null;
  }

  private static String names(final List<EntityChanges.Touched> touched) {
    if (touched.isEmpty()) {
      return "none";
    }
    final String shown = touched.stream().limit(NAMES_IN_REASON).map(t -> t.entity().name().lines().findFirst()
        .orElse("")).collect(Collectors.joining(", "));
    return touched.size() > NAMES_IN_REASON ? shown + ", ... " + (touched.size() - NAMES_IN_REASON) + " more" : shown;
  }

  /** The per-file facts the cheap rules need, computed once. */
  private record FileInfo(FileChange change, String path, String extension, boolean python) {

    static FileInfo of(final FileChange c) {
      final String path = c.getNewPath() != null ? c.getNewPath() : c.getOldPath();
      if (path == null || path.isBlank()) {
        throw new IllegalArgumentException("a file change has neither an old nor a new path: " + c);
      }
      // R2E-Gym's extension is the text after the last '.' of the whole path ("Makefile" for "Makefile").
      final String extension = path.substring(path.lastIndexOf('.') + 1);
      return new FileInfo(c, path, extension, "py".equals(extension));
    }

    boolean renamed() {
      final ChangeType t = change.getChangeType();
      return t == ChangeType.RENAME || t == ChangeType.COPY
          || change.getOldPath() != null && change.getNewPath() != null
          && !change.getOldPath().equals(change.getNewPath());
    }
  }

  /** EditStats as they are measured; entity counts stay 0 until the entity analysis runs. */
  private static final class Stats {
    final int files;
    int nonTestFiles;
    int testFiles;
    int pythonFiles;
    int hunks;
    int nonTestEditedLines;
    int pythonPatchChars;
    int added;
    int deleted;
    int edited;
    int statements;
    int testEntities;

    Stats(final FileInfo[] info) {
      files = info.length;
      for (final FileInfo f : info) {
        final FileChange c = f.change;
        if (c.getTestFile()) {
          testFiles++;
        } else {
          nonTestFiles++;
          nonTestEditedLines += c.getAdditions() + c.getDeletions();
        }
        hunks += UnifiedDiffHunks.count(c.getPatch());
        if (f.python) {
          pythonFiles++;
          pythonPatchChars += c.getPatch() == null ? 0 : c.getPatch().length();
        }
      }
    }

    EditStats avro() {
      return new EditStats(files, nonTestFiles, testFiles, hunks, nonTestEditedLines, pythonPatchChars, added,
          deleted, edited, statements, testEntities);
    }
  }

  /** Builds the two outcomes of one commit. */
  private final class Decision {
    private final CommitEvent event;
    private final String taskId;

    Decision(final CommitEvent event, final String taskId) {
      this.event = event;
      this.taskId = taskId;
    }

    Selection reject(final SweGenRule rule, final String reason, final EditStats stats) {
      return new Selection.Rejected(new CommitRejection(taskId, event.getRepository(), event.getSha(), rule.id(),
          reason, stats, version, clock.instant()));
    }

    EnvCandidate candidate(final FileInfo[] info, final EntityChanges changes, final Stats s) {
      final StringBuilder code = new StringBuilder();
      final StringBuilder test = new StringBuilder();
      final List<String> codeFiles = new ArrayList<>();
      final List<String> testFiles = new ArrayList<>();
      for (final FileInfo f : info) {
        final boolean isTest = f.change.getTestFile();
        (isTest ? testFiles : codeFiles).add(f.path);
        appendPatch(isTest ? test : code, f.change.getPatch());
      }
      final List<Entity> codeEntities = new ArrayList<>();
      final List<Entity> testEntities = new ArrayList<>();
      for (final EntityChanges.Touched t : changes.all()) {
        if (!t.testFile() && t.entity().isDefinition()) {
          codeEntities.add(avroEntity(t));
        }
      }
      for (final EntityChanges.Touched t : changes.testEntities()) {
        if (t.entity().isDefinition()) {
          testEntities.add(avroEntity(t));
        }
      }
      return new EnvCandidate(taskId, event.getRepository(), event.getSha(), event.getParentSha(),
          event.getMessage(), event.getCommitTime(), code.toString(), test.toString(), codeFiles, testFiles,
          codeEntities, testEntities, s.avro(), version, clock.instant(), event.getSourceUrl());
    }
  }

  private static void appendPatch(final StringBuilder out, final String patch) {
    if (patch == null || patch.isEmpty()) {
      return;
    }
    out.append(patch);
    if (patch.charAt(patch.length() - 1) != '\n') {
      out.append('\n');
    }
  }

  private static Entity avroEntity(final EntityChanges.Touched t) {
    final PythonEntity e = t.entity();
    final EntityKind kind = switch (e.kind()) {
      case CLASS -> EntityKind.CLASS;
      case METHOD -> EntityKind.METHOD;
      default -> EntityKind.FUNCTION;
    };
    return new Entity(t.file(), kind, e.name(), t.change(), e.startLine(), e.endLine());
  }
}
