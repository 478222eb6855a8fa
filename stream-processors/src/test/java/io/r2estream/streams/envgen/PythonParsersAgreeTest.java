package io.r2estream.streams.envgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The fast parser against the reference, on real code: every n-th .py file of the machine's Python standard
 * library (CI installs python3). For each file tree-sitter parses without error, both parsers must find the same
 * entities (kind, name, lines, text, methods), and for each function and class both must agree on whether an
 * edit changes code: a docstring or comment edit must not, a changed token must.
 */
class PythonParsersAgreeTest {

  private static final Path STDLIB = Path.of(System.getenv().getOrDefault("AGREE_DIR", "/usr/lib/python3.11"));
  /** One file in SAMPLE_EVERY: keeps tree-sitter's share of the test to a few seconds. */
  private static final int SAMPLE_EVERY = Integer.parseInt(System.getenv().getOrDefault("AGREE_EVERY", "4"));
  private static final int MAX_REPORTED = 15;

  private final TokenPythonParser tokens = new TokenPythonParser(true);
  private final TreeSitterPythonParser treeSitter = new TreeSitterPythonParser(true);

  @Test
  void sameEntitiesAndSameCodeChangeVerdictsOnTheStandardLibrary() throws IOException {
    final List<Path> files = corpus();
    final List<String> problems = new ArrayList<>();
    int compared = 0;
    int entities = 0;
    int edits = 0;
    for (final Path file : files) {
      final String source = read(file);
      if (source == null) {
        continue;
      }
      final PythonModule reference = treeSitter.parse(source);
      if (reference.syntaxError() != null) {
        continue;
      }
      final PythonModule fast = tokens.parse(source);
      compared++;
      if (fast.syntaxError() != null) {
        problems.add(file + ": tokens parser reports " + fast.syntaxError());
        continue;
      }
      final List<String> expected = describe(reference);
      final List<String> actual = describe(fast);
      entities += expected.size();
      if (!expected.equals(actual)) {
        problems.add(file + ": " + firstDifference(expected, actual));
        continue;
      }
      edits += compareEdits(file, reference, fast, problems);
    }
    if (!problems.isEmpty()) {
      fail(problems.size() + " of " + compared + " files differ:\n"
          + String.join("\n", problems.subList(0, Math.min(MAX_REPORTED, problems.size()))));
    }
    assertTrue(compared > 100, "compared only " + compared + " files of " + STDLIB);
    assertTrue(entities > 4_000 && edits > 2_000, entities + " entities, " + edits + " edits compared");
  }

  /** Docstring, comment and code edits of each top-level definition: same verdict from both parsers. */
  private int compareEdits(final Path file, final PythonModule reference, final PythonModule fast,
      final List<String> problems) {
    int n = 0;
    for (int i = 0; i < reference.entities().size(); i++) {
      final PythonEntity r = reference.entities().get(i);
      if (!r.isDefinition()) {
        continue;
      }
      final String referenceForm = treeSitter.parse(r.content()).entities().get(0).normalForm();
      final String fastForm = tokens.parse(fast.entities().get(i).content()).entities().get(0).normalForm();
      for (final String edited : edits(r.content())) {
        final PythonModule r2 = treeSitter.parse(edited);
        final PythonModule f2 = tokens.parse(edited);
        if (r2.syntaxError() != null || r2.entities().isEmpty()) {
          continue;
        }
        n++;
        final boolean referenceSame = r2.entities().get(0).normalForm().equals(referenceForm);
        final boolean fastSame = !f2.entities().isEmpty() && f2.entities().get(0).normalForm().equals(fastForm);
        if (referenceSame != fastSame) {
          problems.add(file + ": " + r.name() + " edited to\n" + edited + "\n-> tree-sitter says "
              + (referenceSame ? "same code" : "code changed") + ", tokens says the opposite");
        }
      }
    }
    return n;
  }

  /** A docstring edit, a comment edit and a code edit of a definition's source (where it has them). */
  private static List<String> edits(final String content) {
    final List<String> out = new ArrayList<>();
    final int doc = content.indexOf("\"\"\"");
    if (doc > 0 && content.indexOf("\"\"\"", doc + 3) > 0) {
      out.add(content.substring(0, doc + 3) + "Edited. " + content.substring(doc + 3));
    }
    final int colon = content.indexOf(":\n");
    if (colon > 0) {
      out.add(content.substring(0, colon + 1) + "  # a comment" + content.substring(colon + 1));
    }
    final int ret = content.indexOf("return ");
    if (ret > 0) {
      out.add(content.substring(0, ret + 7) + "1 + " + content.substring(ret + 7));
    }
    return out;
  }

  private static List<String> describe(final PythonModule m) {
    final List<String> out = new ArrayList<>();
    for (final PythonEntity e : m.entities()) {
      out.add(e.kind() + " " + e.name() + " " + e.startLine() + "-" + e.endLine() + " " + e.content().length());
      for (final PythonEntity method : e.methods()) {
        out.add("  " + method.kind() + " " + method.name() + " " + method.startLine() + "-" + method.endLine());
      }
    }
    return out;
  }

  private static String firstDifference(final List<String> expected, final List<String> actual) {
    for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
      if (!expected.get(i).equals(actual.get(i))) {
        return "entity " + i + ": tree-sitter '" + abbreviate(expected.get(i)) + "', tokens '"
            + abbreviate(actual.get(i)) + "'";
      }
    }
    return "tree-sitter finds " + expected.size() + " entities, tokens " + actual.size();
  }

  private static String abbreviate(final String s) {
    final String one = s.replace("\n", "\\n");
    return one.length() > 160 ? one.substring(0, 160) + "..." : one;
  }

  private static List<Path> corpus() throws IOException {
    if (!Files.isDirectory(STDLIB)) {
      fail(STDLIB + " is missing: install python3 (./test does)");
    }
    final List<Path> all;
    try (Stream<Path> s = Files.walk(STDLIB)) {
      all = s.filter(p -> p.toString().endsWith(".py")).sorted().toList();
    }
    final List<Path> sample = new ArrayList<>();
    for (int i = 0; i < all.size(); i += SAMPLE_EVERY) {
      sample.add(all.get(i));
    }
    assertEquals(true, sample.size() > 100, "too few files under " + STDLIB);
    return sample;
  }

  private static String read(final Path file) throws IOException {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
