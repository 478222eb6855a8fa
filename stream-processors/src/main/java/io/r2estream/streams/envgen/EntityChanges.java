package io.r2estream.streams.envgen;

import io.r2estream.avro.EntityChange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The entity analysis of one commit (reference 2.2 and Appendix A): deleted lines (old coordinates) are mapped
 * onto the old file's entities and added lines (new coordinates) onto the new file's; a touched entity present
 * in both versions is MODIFIED, only in the new one ADDED, only in the old one DELETED. Entities are counted
 * once per file however many hunks touch them.
 */
final class EntityChanges {

  /**
   * One touched entity.
   *
   * @param file        path of the file
   * @param testFile    whether the file is a test file
   * @param entity      the entity in the new version (old version when DELETED)
   * @param firstSeen   the version of the first hunk touching it: old if that hunk deletes a line in it
   * @param change      added, modified or deleted
   * @param oldModule   the old version of the file, null when added
   * @param newModule   the new version of the file, null when deleted
   */
  record Touched(String file, boolean testFile, PythonEntity entity, PythonEntity firstSeen, EntityChange change,
      PythonModule oldModule, PythonModule newModule) {

    PythonEntity.Kind kind() {
      return entity.kind();
    }
  }

  private final List<Touched> touched = new ArrayList<>();

  /** Adds the entities of one .py file touched by its hunks; either module is null for an added/deleted file. */
  void addFile(final String path, final boolean testFile, final PythonModule oldModule,
      final PythonModule newModule, final List<UnifiedDiffHunks.Hunk> hunks) {
    final Map<String, Touched> byIdentity = new LinkedHashMap<>();
    final Set<PythonEntity> oldHit = new LinkedHashSet<>();
    final Set<PythonEntity> newHit = new LinkedHashSet<>();
    for (final UnifiedDiffHunks.Hunk hunk : hunks) {
      oldHit.clear();
      newHit.clear();
      if (oldModule != null) {
        for (final int line : hunk.deletedOldLines()) {
          oldModule.entitiesAt(line, oldHit);
        }
      }
      if (newModule != null) {
        for (final int line : hunk.addedNewLines()) {
          newModule.entitiesAt(line, newHit);
        }
      }
      for (final PythonEntity e : oldHit) {
        byIdentity.computeIfAbsent(e.identity(), k -> {
          final PythonEntity now = newModule == null ? null : newModule.first(e.kind(), e.name());
          return now == null
              ? new Touched(path, testFile, e, e, EntityChange.DELETED, oldModule, newModule)
              : new Touched(path, testFile, now, e, EntityChange.MODIFIED, oldModule, newModule);
        });
      }
      for (final PythonEntity e : newHit) {
        byIdentity.computeIfAbsent(e.identity(), k -> {
          final boolean existed = oldModule != null && oldModule.contains(e);
          return new Touched(path, testFile, e, e, existed ? EntityChange.MODIFIED : EntityChange.ADDED,
              oldModule, newModule);
        });
      }
    }
    touched.addAll(byIdentity.values());
  }

  List<Touched> all() {
    return touched;
  }

  /** Non-test functions, classes, methods and imports with this change (statements are not counted). */
  List<Touched> nonTest(final EntityChange change) {
    final List<Touched> out = new ArrayList<>();
    for (final Touched t : touched) {
      if (!t.testFile() && t.change() == change && t.kind() != PythonEntity.Kind.STATEMENT) {
        out.add(t);
      }
    }
    return out;
  }

  /** Touched top-level statements over all files, tests included. */
  int statementChanges() {
    int n = 0;
    for (final Touched t : touched) {
      if (t.kind() == PythonEntity.Kind.STATEMENT) {
        n++;
      }
    }
    return n;
  }

  /** Added or modified functions, classes, methods and imports of test files. */
  List<Touched> testEntities() {
    final List<Touched> out = new ArrayList<>();
    for (final Touched t : touched) {
      if (t.testFile() && t.change() != EntityChange.DELETED && t.kind() != PythonEntity.Kind.STATEMENT) {
        out.add(t);
      }
    }
    return out;
  }

  /**
   * Whether the non-test code really changes: an entity of any kind was added, or a modified function or class
   * (its methods included) differs once docstrings, bare strings, comments and formatting are ignored. The
   * first definition with that name in each version is compared, as R2E-Gym does.
   */
  boolean changesCode() {
    for (final Touched t : touched) {
      if (!t.testFile() && t.change() == EntityChange.ADDED) {
        return true;
      }
    }
    for (final Touched t : touched) {
      if (t.testFile() || t.change() != EntityChange.MODIFIED
          || (t.kind() != PythonEntity.Kind.FUNCTION && t.kind() != PythonEntity.Kind.CLASS)) {
        continue;
      }
      final PythonEntity before = t.oldModule().first(t.kind(), t.entity().name());
      final PythonEntity after = t.newModule().first(t.kind(), t.entity().name());
      if (!before.content().equals(after.content()) && !before.normalForm().equals(after.normalForm())) {
        return true;
      }
    }
    return false;
  }

  /**
   * R2E-Gym's test-match rule: a test entity's name contains "issue", or the short name of a modified non-test
   * function, method or import is part of a test entity's short name or is called ({@code name(}) in its content
   * (the version of the first hunk that touched it).
   *
   * @return the evidence (e.g. "test_foo calls foo("), or null when nothing matches
   */
  String testMatch() {
    final List<Touched> tests = testEntities();
    for (final Touched t : tests) {
      if (t.entity().name().contains("issue")) {
        return "test entity " + t.entity().name() + " names an issue";
      }
    }
    for (final Touched m : nonTest(EntityChange.MODIFIED)) {
      if (m.kind() == PythonEntity.Kind.CLASS) {
        continue;
      }
      final String shortName = m.entity().shortName();
      if (shortName.isBlank()) {
        continue;
      }
      final String call = shortName + "(";
      for (final Touched t : tests) {
        if (t.entity().shortName().contains(shortName)) {
          return "test entity " + t.entity().name() + " is named after " + m.entity().name();
        }
        if (t.firstSeen().content().contains(call)) {
          return "test entity " + t.entity().name() + " calls " + call;
        }
      }
    }
    return null;
  }
}
