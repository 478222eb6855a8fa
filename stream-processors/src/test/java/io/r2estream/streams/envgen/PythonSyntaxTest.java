package io.r2estream.streams.envgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PythonSyntax against a table of tricky valid and invalid snippets; CPython's ast.parse (one python3 run for the
 * whole table) first proves the table right, then our verdict and error line must equal CPython's.
 */
class PythonSyntaxTest {

  private static final String ORACLE = """
      import ast, json, sys, warnings
      warnings.simplefilter('ignore')
      for src in json.load(sys.stdin):
          try:
              ast.parse(src)
              print('OK')
          except SyntaxError as e:
              print('ERR', e.lineno, json.dumps(e.msg))
          except (ValueError, RecursionError, MemoryError) as e:
              print('ERR', 0, json.dumps(str(e)))
      """;

  /** Valid Python 3.11 (and 3.12): ast.parse accepts each. */
  static final List<String> VALID = List.of(
      "",
      "x = 1\n",
      "print(x)\n",
      "print >>f, 'x'\n",
      "print >>f\n",
      "print\n",
      "exec(code, {})\n",
      "a, *b = c\n",
      "*a, b = c\n",
      "[a, [b, *c]] = d\n",
      "() = []\n",
      "a = b = c = 1\n",
      "x = yield\n",
      "def f():\n    x = yield from g()\n    y = await z\n",
      "a[1:2, ::3, ...] = b[:]\n",
      "a[*b] = c[x:=1]\n",
      "(a) += 1\n(a.b): int = 2\n",
      "x: list[int] = []\ny: int\n",
      "f(a, *b, c=1, *d, **e)\n",
      "f(x for x in y)\n",
      "f(a=1, **k)\n",
      "f(x := 1, y)\n",
      "lambda: 0\nlambda *a, **k: a\nlambda a, /, b=1, *, c, d=2: 0\nlambda x=lambda y=1: y: x\n",
      "def f(a, b=1, /, c=2, *args, d, e=3, **kw) -> int: pass\n",
      "def f(*, a): pass\ndef g(a, /): pass\ndef h(*args: *Ts): pass\n",
      "def f(a: int = 1, *b: str, c: 'x' = 2, **d: dict,): pass\n",
      "@a.b[1](c)\n@(lambda f: f)\n@x if y else z\nclass C: pass\n",
      "async def f():\n    async for x in y: pass\n    async with a as b, c: pass\n    return [i async for i in g()]\n",
      "class A(B, metaclass=M, **kw): x = 1\n",
      "class A(): pass\n",
      "if a: pass\nelif b: pass\nelse: pass\n",
      "while x := f(): pass\nelse: pass\n",
      "for i, (j, k) in enumerate(z): pass\nelse: pass\n",
      "for x in *a, *b: pass\n",
      "try:\n    pass\nexcept (A, B) as e:\n    pass\nexcept C:\n    pass\nelse:\n    pass\nfinally:\n    pass\n",
      "try:\n    pass\nexcept* ValueError as e:\n    pass\n",
      "try:\n    pass\nfinally:\n    pass\n",
      "with (a as b, c as d,):\n    pass\n",
      "with (a, b) as c, d:\n    pass\n",
      "with (yield x): pass\n",
      "with open(f) as (a, b): pass\n",
      "import a.b.c as d, e\nfrom . import x\nfrom ..a import (b as c, d,)\nfrom ... import *\nfrom .... import y\n",
      "global a, b\nnonlocal c\ndel a, (b, c), d[1], e.f,\n",
      "assert x, 'message'\nraise\nraise E from None\nreturn\n",
      "x = 1 if y else 2 if z else 3\n",
      "x = a not in b is not c < d <= e\n",
      "x = not a and b or c\n",
      "x = -a ** -b // ~c @ d % e << f >> g & h ^ i | j\n",
      "x = [y := f(x), y ** 2] if 0 else 1\n",
      "x = [(y := f(x)) for x in z if (w := x)]\n",
      "x = {a: b for a, b in c}\ny = {a for a in b}\nz = (a for a in b)\nw = {**a, 'b': 1, **c}\n",
      "x = {*a, *b, c}\ny = [*a, *b]\nz = (*a, *b)\n",
      "x = 'a' 'b' f'{c}' \"d\"\ny = b'a' rb'b' B'c'\n",
      "x = ...\ny = None, True, False\n",
      "x = 0x1f + 0o17 + 0b1 + 1_000 + 1.5e-3 + 3j\n",
      "match command.split():\n    case [action]:\n        pass\n    case [action, obj]:\n        pass\n",
      "match p:\n    case Point(x=0, y=0) | Point(1, y=_):\n        pass\n    case {'k': [1, 2, *rest], **others}:\n        pass\n"
          + "    case (1 | 2 | 3) as n if n > 1:\n        pass\n    case -1 | 1 + 2j | 'a' 'b' | None | a.b.c:\n        pass\n"
          + "    case _:\n        pass\n",
      "match x, *y:\n    case (a, b, *_) | [a]:\n        pass\n",
      "match = 1\nmatch.x = 2\nmatch(x)\ncase = type = _ = 3\nprint(match, case, type)\n",
      "type = 5\ntype(x)\n",
      "if x:\n    pass\n# comment\n\n    # indented comment\nelse:\n    pass\n",
      "x = (1,\n     2)\ny = 3 \\\n    + 4\n",
      "def f(): return (yield)\n",
      "x = [i for i in range(3) if i if not i for j in k]\n",
      "f(**a if b else c)\n",
      "x = a if b else lambda: c\n",
      "a = b[c](d).e[f:g]\n",
      "x = f'{a!r:>{w}}' f'{{}}'\n",
      "for x, in y: pass\n",
      "match x:\n    case f'{a}':\n        pass\n",
      "if (n := len(a)) > 10: pass\n",
      "x = 1; y = 2;\n",
      "await x\n",
      "x = b'\\u12' rb'\\N'\ny = r'\\x' '\\N{EM DASH}\\x41\\u0041\\U00000041' f'\\x41'\n",
      "async def f(): await asyncio.sleep(1)\n",
      "class C:\n    def f(self): pass\n\n    @property\n    def g(self): return 1\n");

  /** Invalid for ast.parse. */
  static final List<String> INVALID = List.of(
      "x = \n",
      "x := 1\n",
      "f() = 1\n",
      "f(a) += 1\n",
      "1 = x\n",
      "x = 1 = 2\n",
      "'a' = 1\n",
      "None = 1\n",
      "True += 1\n",
      "a + b = c\n",
      "a, f() = b\n",
      "[a, 1] = b\n",
      "(a, b) += 1\n",
      "[a] += 1\n",
      "a, b: int\n",
      "f(): int\n",
      "x = yield = 1\n",
      "(*a) = 1\n",
      "(*a)\n",
      "del f()\n",
      "del *a\n",
      "del 1\n",
      "del\n",
      "for f() in x: pass\n",
      "for 1 in x: pass\n",
      "[x for 1 in y]\n",
      "with a as f(): pass\n",
      "f(a=1, b)\n",
      "f(**a, b)\n",
      "f(**a, *b)\n",
      "f(a.b=1)\n",
      "f(True=1)\n",
      "f(x for x in y, 1)\n",
      "f(1, x for x in y)\n",
      "f(x for x in y,)\n",
      "class A(x for x in y): pass\n",
      "[*a for a in b]\n",
      "{**a for a in b}\n",
      "{a: *b}\n",
      "def f(a=1, b): pass\n",
      "def f(a=1, /, b): pass\n",
      "def f(*): pass\n",
      "def f(*, **k): pass\n",
      "def f(/, a): pass\n",
      "def f(**k, a): pass\n",
      "def f(*a=1): pass\n",
      "def f(a: *b): pass\n",
      "lambda a=1, b: 0\n",
      "lambda *: 0\n",
      "def f()\n    pass\n",
      "if x\n    pass\n",
      "if x:\npass\n",
      "  x = 1\n",
      "if x:\n    pass\n  else:\n    pass\n",
      "else: pass\n",
      "try:\n    pass\n",
      "try:\n    pass\nexcept A, B:\n    pass\n",
      "try:\n    pass\nexcept* :\n    pass\n",
      "try:\n    pass\nexcept A:\n    pass\nexcept* B:\n    pass\n",
      "x = 1 if 2\n",
      "x = a if b else c = 1\n",
      "not a == not b\n",
      "a not b\n",
      "x = (1, 2\n",
      "x = [1, 2)]\n",
      "x = 'abc\n",
      "x = 1 +\n",
      "import a.b as c.d\n",
      "from a import b,\n",
      "from import x\n",
      "print 'hello'\n",
      "exec 'code'\n",
      "print x\n",
      "async x = 1\n",
      "if x: if y: pass\n",
      "def f(): pass pass\n",
      "x = 'a' b'b'\n",
      "x = b'\u00e9'\n",
      "x = '\\x4'\n",
      "x = '''ab\\u12'''\n",
      "x = b'\\x'\n",
      "x = '\\N'\n",
      "x = '\\U00110000'\n",
      "x = [i for i in lambda: y]\n",
      "x = a[]\n",
      "match x:\n    case {**_}:\n        pass\n",
      "match x:\n    case A(a=1, b):\n        pass\n",
      "match x:\n    case _ as _:\n        pass\n",
      "match x:\n    case 1 + 2:\n        pass\n",
      "match x:\n    case *a:\n        pass\n",
      "x = [y := f(x), y ** 2 for x in z]\n",
      "match x:\n    case a + 1:\n        pass\n",
      "class A(x=1, y): pass\n",
      "x = 1 2\n",
      "x.1 = 2\n",
      "with a as b c: pass\n",
      "global a.b\n",
      "return *\n",
      "x = {1: 2, 3}\n",
      "@\ndef f(): pass\n",
      "@f\nx = 1\n",
      "for x in y\n    pass\n");

  /** Valid only from Python 3.12 on (the machine's python3 is 3.11, so CPython does not judge these). */
  static final List<String> VALID_312 = List.of(
      "type Point = tuple[float, float]\n",
      "type ListOrSet[T] = list[T] | set[T]\n",
      "def first[T](xs: list[T]) -> T: return xs[0]\n",
      "def f[T: int, *Ts, **P](): pass\n",
      "class Box[T](Base): pass\n",
      "x = f\"{'a' + \"b\"}\"\n",
      "x = f'{d['key']}'\n");

  @Test
  void tableIsCPythonsVerdictAndOursIsToo(@TempDir final Path tmp) throws Exception {
    assertTrue(VALID.size() >= 60 && INVALID.size() >= 60, "table too small");
    final List<String> all = new ArrayList<>(VALID);
    all.addAll(INVALID);
    final String job = all.stream().map(CPythonOracle::quote).collect(Collectors.joining(",", "[", "]"));
    final List<String> out = CPythonOracle.run(ORACLE, job, tmp);
    assertEquals(all.size(), out.size(), "python3 printed one verdict per snippet");
    final List<String> wrongTable = new ArrayList<>();
    final List<String> disagreements = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      final String src = all.get(i);
      final String cpython = out.get(i);
      final boolean cpythonValid = cpython.equals("OK");
      if (cpythonValid != i < VALID.size()) {
        wrongTable.add((i < VALID.size() ? "VALID " : "INVALID ") + CPythonOracle.quote(src) + " -> " + cpython);
        continue;
      }
      final String ours = PythonSyntax.check(PythonTokens.tokenize(src));
      final String expectedLine = cpythonValid ? null : "line " + cpython.split(" ")[1] + ":";
      final boolean agree = cpythonValid ? ours == null : ours != null && ours.startsWith(expectedLine);
      if (!agree) {
        disagreements.add(CPythonOracle.quote(src) + "\n    cpython: " + cpython + "\n    ours:    " + ours);
      }
    }
    assertEquals(List.of(), wrongTable, "fixtures whose table verdict CPython contradicts");
    assertEquals(List.of(), disagreements, "snippets where our verdict or error line differs from CPython's");
  }

  @Test
  void acceptsPython312Syntax() {
    for (final String src : VALID_312) {
      assertNull(PythonSyntax.check(PythonTokens.tokenize(src)), src);
    }
  }

  @Test
  void returnsTheTokenizersErrorUnchanged() {
    final PythonTokens tokens = PythonTokens.tokenize("x = (1,\ny = 2\n");
    assertEquals(tokens.error(), PythonSyntax.check(tokens));
    assertEquals("line 1: '(' was never closed", PythonSyntax.check(tokens));
  }

  @Test
  void namesPython2Statements() {
    assertEquals("line 2: Python 2 print statement", PythonSyntax.check(PythonTokens.tokenize("x = 1\nprint 'a'\n")));
    assertEquals("line 1: Python 2 exec statement", PythonSyntax.check(PythonTokens.tokenize("exec code in ns\n")));
    assertNull(PythonSyntax.check(PythonTokens.tokenize("print >>sys.stderr, 'a'\n")));
  }

  @Test
  void wordsTargetErrorsLikeCPython() {
    assertEquals("line 1: cannot assign to function call here. Maybe you meant '==' instead of '='?",
        PythonSyntax.check(PythonTokens.tokenize("f() = 1\n")));
    assertEquals("line 1: 'tuple' is an illegal expression for augmented assignment",
        PythonSyntax.check(PythonTokens.tokenize("a, b += 1\n")));
    assertEquals("line 2: expected ':'", PythonSyntax.check(PythonTokens.tokenize("x = 1\nif x\n    pass\n")));
  }
}
