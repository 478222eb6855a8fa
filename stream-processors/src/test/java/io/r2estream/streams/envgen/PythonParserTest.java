package io.r2estream.streams.envgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every behaviour of the entity analysis, checked on both parsers (tree-sitter's incremental parse on its own). */
class PythonParserTest {

  private static final String MODULE = """
      import os, sys
      from x import y
      # a comment

      @cache
      @other(1)
      async def fetch(url):
          def helper(a):
              return a
          return helper(url)

      class Widget(Base):
          \"\"\"A widget.\"\"\"
          size = 3

          @property
          def width(self):
              return self.size

          async def load(self):
              pass

          class Inner:
              def deep(self):
                  pass

      X = 1; Y = 2
      """;

  private static PythonParser parser(final SweGenConfig.Parser kind, final boolean decoratorsInEntity) {
    return kind == SweGenConfig.Parser.TOKENS ? new TokenPythonParser(decoratorsInEntity)
        : new TreeSitterPythonParser(decoratorsInEntity);
  }

  @ParameterizedTest
  @EnumSource(SweGenConfig.Parser.class)
  void findsTopLevelEntitiesWithDecoratorsInTheirSpan(final SweGenConfig.Parser kind) {
    final PythonParser parser = parser(kind, true);
    final PythonModule m = parser.parse(MODULE);

    assertNull(m.syntaxError());
    final List<String> found = m.entities().stream().map(PythonParserTest::describe).toList();
    assertEquals(List.of(
        "IMPORT import os, sys 1-1",
        "STATEMENT from x import y 2-2",
        "FUNCTION fetch 5-10",
        "CLASS Widget 12-25",
        "STATEMENT X = 1 27-27",
        "STATEMENT Y = 2 27-27"), found);
    final PythonEntity widget = m.entities().get(3);
    assertEquals(List.of("METHOD Widget.width 16-18", "METHOD Widget.load 20-21"),
        widget.methods().stream().map(PythonParserTest::describe).toList());
    assertEquals("width", widget.methods().get(0).shortName());
  }

  @ParameterizedTest
  @EnumSource(SweGenConfig.Parser.class)
  void withoutDecoratorsInEntitySpansStartAtTheDefLikeRsAst(final SweGenConfig.Parser kind) {
    final PythonModule m = parser(kind, false).parse(MODULE);

    assertEquals("FUNCTION fetch 7-10", describe(m.entities().get(2)));
    assertEquals("METHOD Widget.width 17-18", describe(m.entities().get(3).methods().get(0)));
    assertEquals(Set.of(), at(m, 5), "a decorator line then belongs to no entity");
  }

  @ParameterizedTest
  @EnumSource(SweGenConfig.Parser.class)
  void nestedDefinitionsBelongToTheirTopLevelEntity(final SweGenConfig.Parser kind) {
    final PythonParser parser = parser(kind, true);
    final PythonModule m = parser.parse(MODULE);

    assertEquals(Set.of("FUNCTION fetch"), at(m, 9), "line of the nested helper");
    assertEquals(Set.of("CLASS Widget", "METHOD Widget.load"), at(m, 21));
    assertEquals(Set.of("CLASS Widget"), at(m, 24), "a method of a nested class is not a method entity");
    assertEquals(Set.of("CLASS Widget"), at(m, 14), "class attribute");
    assertEquals(Set.of(), at(m, 3), "comment line");
    assertEquals(Set.of("STATEMENT X = 1", "STATEMENT Y = 2"), at(m, 27));
  }

  @ParameterizedTest
  @EnumSource(SweGenConfig.Parser.class)
  void methodContentIsItsWholeClass(final SweGenConfig.Parser kind) {
    final PythonParser parser = parser(kind, true);
    final PythonModule m = parser.parse(MODULE);

    final PythonEntity widget = m.entities().get(3);
    assertEquals(widget.content(), widget.methods().get(1).content());
    assertTrue(widget.content().startsWith("class Widget(Base):"));
  }

  @ParameterizedTest
  @EnumSource(SweGenConfig.Parser.class)
  void normalFormIgnoresDocstringsCommentsBareStringsAndFormatting(final SweGenConfig.Parser kind) {
    final PythonParser parser = parser(kind, true);
    final String before = "def f(a, b):\n    \"\"\"Old doc.\"\"\"\n    return a + b\n";
    final String after = "def f(a,   b):  # why\n    '''New doc.'''\n    'a stray string'\n"
        + "    # a comment\n    return a+b\n";
    final String changed = "def f(a, b):\n    \"\"\"Old doc.\"\"\"\n    return a - b\n";

    final String nf = parser.parse(before).entities().get(0).normalForm();
    assertEquals(nf, parser.parse(after).entities().get(0).normalForm());
    assertNotEquals(nf, parser.parse(changed).entities().get(0).normalForm());
    assertNotEquals(nf, parser.parse("def f(a, b):\n    return r'a' + b\n").entities().get(0).normalForm());
  }

  @ParameterizedTest
  @EnumSource(SweGenConfig.Parser.class)
  void normalFormOfADecoratedFunctionIncludesItsDecorators(final SweGenConfig.Parser kind) {
    final PythonParser parser = parser(kind, true);
    final String a = parser.parse("@cache\ndef f():\n    return 1\n").entities().get(0).normalForm();
    final String b = parser.parse("@other\ndef f():\n    return 1\n").entities().get(0).normalForm();

    assertNotEquals(a, b);
  }

  @ParameterizedTest
  @EnumSource(SweGenConfig.Parser.class)
  void reportsSyntaxErrorsWithTheirLine(final SweGenConfig.Parser kind) {
    final PythonParser parser = parser(kind, true);
    assertNotNull(parser.parse("def f(:\n    pass\n").syntaxError());
    assertEquals("line 2: Python 2 print statement", parser.parse("x = 1\nprint 'hello'\n").syntaxError());
    assertNotNull(parser.parse("\uFEFFx = 1\n").syntaxError());
    assertNotNull(parser.parse("def f(ns):\n    exec 'x = 1' in ns\n").syntaxError());
    assertEquals("line 3: Python 2 print statement",
        parser.parse("s = 'é'  # print this\n\"\"\"print the doc\"\"\"\nprint s\n").syntaxError());
    assertNull(parser.parse("print('hello')\nexec_count = 1\n# print this later\nx = 'exec it'\n").syntaxError());
    assertNull(parser.parse("match x:\n    case 1:\n        pass\n").syntaxError());
  }

  @Test
  void incrementalParseMatchesAFreshParse() {
    final TreeSitterPythonParser parser = new TreeSitterPythonParser(true);
    final TreeSitterPythonModule old = parser.parse(MODULE);
    final String edited = MODULE.replace("return self.size", "return self.size * 2\n        # wider")
        .replace("X = 1", "X = 'é😀'");

    final PythonModule incremental = parser.parseEdited(old, edited);
    final PythonModule fresh = parser.parse(edited);

    assertEquals(describeAll(fresh), describeAll(incremental));
    assertEquals(fresh.entities().get(3).normalForm(), incremental.entities().get(3).normalForm());
    assertEquals("X = 'é😀'", incremental.entities().get(4).content());
    assertEquals(describeAll(parser.parse(MODULE)), describeAll(old), "the old module is left untouched");
    assertEquals(parser.parse(MODULE).entities().get(3).normalForm(), old.entities().get(3).normalForm());
  }

  private static Set<String> at(final PythonModule m, final int line) {
    final Set<PythonEntity> out = new LinkedHashSet<>();
    m.entitiesAt(line, out);
    final Set<String> names = new LinkedHashSet<>();
    out.forEach(e -> names.add(e.kind() + " " + e.name()));
    return names;
  }

  private static List<String> describeAll(final PythonModule m) {
    final List<String> all = new ArrayList<>();
    for (final PythonEntity e : m.entities()) {
      all.add(describe(e));
      e.methods().forEach(x -> all.add(describe(x)));
    }
    return all;
  }

  private static String describe(final PythonEntity e) {
    return e.kind() + " " + e.name() + " " + e.startLine() + "-" + e.endLine();
  }
}
