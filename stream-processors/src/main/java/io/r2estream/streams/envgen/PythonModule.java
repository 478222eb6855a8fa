package io.r2estream.streams.envgen;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One parsed version of a Python file: its top-level entities with their line spans (methods hang off their
 * class), and whether it parses. The lookups the entity analysis needs live here, common to both parsers. Values
 * computed on first use are immutable, so a module published safely (through a concurrent map) can be read by
 * several threads.
 */
public abstract class PythonModule {

  private final String source;
  private final String syntaxError;
  private List<PythonEntity> topLevel = List.of();
  // Volatile: modules of the tokens parser are shared by threads, and these maps are built on first use.
  private volatile Map<String, PythonEntity> firstDefinitions;
  private volatile Map<String, PythonEntity> firstStatements;

  protected PythonModule(final String source, final String syntaxError) {
    this.source = source;
    this.syntaxError = syntaxError;
  }

  /** Sets the top-level entities, in source order; called once by the subclass constructor. */
  protected final void topLevel(final List<PythonEntity> entities) {
    this.topLevel = List.copyOf(entities);
  }

  public String source() {
    return source;
  }

  /** Null when the file parses; otherwise where and why it does not, e.g. "line 3: invalid syntax". */
  public String syntaxError() {
    return syntaxError;
  }

  /** Top-level functions, classes, imports and statements in source order (methods hang off their class). */
  public List<PythonEntity> entities() {
    return topLevel;
  }

  /** Adds to {@code out} the entities whose span covers a 1-based line: a top-level entity and its method. */
  public void entitiesAt(final int line, final Collection<PythonEntity> out) {
    // Top-level entities do not nest; only statements separated by ';' share a line, hence the walk back.
    for (int i = lastStartingAtOrBefore(topLevel, line); i >= 0; i--) {
      final PythonEntity top = topLevel.get(i);
      if (top.endLine() < line) {
        break;
      }
      out.add(top);
      final int m = lastStartingAtOrBefore(top.methods(), line);
      if (m >= 0 && top.methods().get(m).endLine() >= line) {
        out.add(top.methods().get(m));
      }
    }
  }

  /** The first entity with this kind and name (definitions) or text (imports, statements), as R2E compares. */
  public PythonEntity first(final PythonEntity.Kind kind, final String nameOrText) {
    if (kind == PythonEntity.Kind.METHOD) {
      // Only the methods of the class with that name are materialised.
      final int dot = nameOrText.indexOf('.');
      final PythonEntity cls = dot < 0 ? null : first(PythonEntity.Kind.CLASS, nameOrText.substring(0, dot));
      if (cls != null) {
        for (final PythonEntity m : cls.methods()) {
          if (m.name().equals(nameOrText)) {
            return m;
          }
        }
      }
      return null;
    }
    final boolean definition = kind == PythonEntity.Kind.FUNCTION || kind == PythonEntity.Kind.CLASS;
    if (definition ? firstDefinitions == null : firstStatements == null) {
      final Map<String, PythonEntity> index = new HashMap<>();
      for (final PythonEntity e : topLevel) {
        if (e.isDefinition() == definition) {
          index.putIfAbsent(e.identity(), e);
        }
      }
      if (definition) {
        firstDefinitions = index;
      } else {
        firstStatements = index;
      }
    }
    return (definition ? firstDefinitions : firstStatements).get(kind.name() + ':' + nameOrText);
  }

  /** Whether an entity with the identity of {@code e} (kind + name, or kind + text) exists in this version. */
  boolean contains(final PythonEntity e) {
    return first(e.kind(), e.name()) != null;
  }

  private static int lastStartingAtOrBefore(final List<PythonEntity> sorted, final int line) {
    int lo = 0;
    int hi = sorted.size() - 1;
    int found = -1;
    while (lo <= hi) {
      final int mid = (lo + hi) >>> 1;
      if (sorted.get(mid).startLine() <= line) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }
}
