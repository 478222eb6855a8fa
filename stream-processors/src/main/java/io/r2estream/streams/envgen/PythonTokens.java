package io.r2estream.streams.envgen;

import java.util.Arrays;

/**
 * CPython's tokenizer rules in Java: the token stream of a Python source (NAME, NUMBER, STRING, OP, COMMENT, NEWLINE
 * for the end of a logical line, NL for a line that ends nothing, INDENT, DEDENT, ENDMARKER), or the first lexical
 * error CPython reports (unterminated string, bracket never closed or mismatched, unindent to no outer level,
 * inconsistent tabs and spaces, invalid character, null byte).
 *
 * <p>Why a hand-written tokenizer next to tree-sitter: the entity analysis of the SWE-GEN selector runs on every
 * commit of a history, and tree-sitter costs ~0.9 µs per byte through its Java binding (175 µs for a 191-byte
 * function, measured); this tokenizer reads a typical module in a few microseconds. Tokens are kept in parallel
 * int arrays, not objects, for the same reason.
 *
 * <p>Strings, f-strings included, are single STRING tokens, as in Python 3.11; an f-string's replacement fields may
 * nest strings with any quotes (Python 3.12), so the end of the f-string is found the way 3.12 finds it, which gives
 * the same token for every string 3.11 accepts. Lines count {@code \n} only, as tree-sitter counts rows.
 */
public final class PythonTokens {

  /** Token kinds, named as in CPython's {@code token} module. */
  public enum Kind { NAME, NUMBER, STRING, OP, COMMENT, NEWLINE, NL, INDENT, DEDENT, ENDMARKER }

  private static final Kind[] KINDS = Kind.values();
  private static final int TAB_SIZE = 8;
  private static final int MAX_INDENT_LEVELS = 100;
  private static final String OPERATORS_1 = "+-*/%@&|^~<>()[]{},:;.=";
  /** ASCII identifier characters by table: names are half of all tokens, so this test runs on most characters. */
  private static final boolean[] IDENTIFIER_START = new boolean[0x80];
  private static final boolean[] IDENTIFIER_PART = new boolean[0x80];

  static {
    for (char c = 0; c < 0x80; c++) {
      IDENTIFIER_START[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
      IDENTIFIER_PART[c] = IDENTIFIER_START[c] || c >= '0' && c <= '9';
    }
  }

  private final String source;
  private int size;
  private byte[] kinds;
  private int[] starts;
  private int[] ends;
  private int[] lines;
  private int[] endLines;
  private int[] columns;
  private String error;
  private int errorLine;

  private PythonTokens(final String source) {
    this.source = source;
    // Python code has about one token per 4 characters: sized so that most modules never grow the arrays.
    final int capacity = Math.max(64, source.length() / 3);
    kinds = new byte[capacity];
    starts = new int[capacity];
    ends = new int[capacity];
    lines = new int[capacity];
    endLines = new int[capacity];
    columns = new int[capacity];
  }

  /** Tokenizes a whole module; a lexical error stops the stream there and is reported by {@link #error()}. */
  public static PythonTokens tokenize(final String source) {
    final PythonTokens t = new PythonTokens(source);
    new Lexer(t).run();
    return t;
  }

  public String source() {
    return source;
  }

  /** Number of tokens, ENDMARKER included when the source tokenizes. */
  public int size() {
    return size;
  }

  public Kind kind(final int i) {
    return KINDS[kinds[i]];
  }

  /** Char offset of the first char of token i (zero-width tokens: where they stand). */
  public int start(final int i) {
    return starts[i];
  }

  /** Char offset after the last char of token i. */
  public int end(final int i) {
    return ends[i];
  }

  /** 1-based line of the first char of token i. */
  public int line(final int i) {
    return lines[i];
  }

  /** 1-based line of the last char of token i (differs from {@link #line} for multi-line strings). */
  public int endLine(final int i) {
    return endLines[i];
  }

  /** Indentation column of token i's line up to the token, tabs to the next multiple of 8 (CPython's measure). */
  public int column(final int i) {
    return columns[i];
  }

  public String text(final int i) {
    return source.substring(starts[i], ends[i]);
  }

  /** Whether token i is a NAME or OP spelled {@code s}, without allocating. */
  public boolean is(final int i, final String s) {
    final int len = ends[i] - starts[i];
    final byte k = kinds[i];
    return (k == Kind.NAME.ordinal() || k == Kind.OP.ordinal()) && len == s.length()
        && source.startsWith(s, starts[i]);
  }

  /** Null when the source tokenizes, else "line N: message" as CPython words it. */
  public String error() {
    return error;
  }

  /** 1-based line of {@link #error()}, 0 without error. */
  public int errorLine() {
    return errorLine;
  }

  private void add(final Kind kind, final int start, final int end, final int line, final int endLine,
      final int column) {
    if (size == kinds.length) {
      final int n = size * 2;
      kinds = Arrays.copyOf(kinds, n);
      starts = Arrays.copyOf(starts, n);
      ends = Arrays.copyOf(ends, n);
      lines = Arrays.copyOf(lines, n);
      endLines = Arrays.copyOf(endLines, n);
      columns = Arrays.copyOf(columns, n);
    }
    kinds[size] = (byte) kind.ordinal();
    starts[size] = start;
    ends[size] = end;
    lines[size] = line;
    endLines[size] = endLine;
    columns[size] = column;
    size++;
  }

  /** One pass over the source; state is the position, the line, the indent stack and the bracket stack. */
  private static final class Lexer {
    private final PythonTokens out;
    private final String s;
    private final int n;
    private int pos;
    private int line = 1;
    private final int[] indents = new int[MAX_INDENT_LEVELS + 1];
    private final int[] altIndents = new int[MAX_INDENT_LEVELS + 1];
    private int levels;
    private final char[] brackets = new char[256];
    private final int[] bracketLines = new int[256];
    private int depth;
    /** Whether the current logical line has produced a token yet. */
    private boolean lineHasTokens;

    Lexer(final PythonTokens out) {
      this.out = out;
      this.s = out.source;
      this.n = s.length();
    }

    void run() {
      if (n > 0 && s.charAt(0) == '\uFEFF') {
        // A BOM at the start of the decoded text is what R2E-Gym's ast.parse(str) rejects.
        fail(1, "invalid non-printable character U+FEFF");
        return;
      }
      if (s.indexOf('\0') >= 0) {
        fail(lineOf(s.indexOf('\0')), "source code cannot contain null bytes");
        return;
      }
      while (pos <= n) {
        if (!logicalLineStart()) {
          return;
        }
        if (pos >= n) {
          break;
        }
        if (!restOfLine()) {
          return;
        }
      }
      if (depth > 0) {
        fail(bracketLines[depth - 1], "'" + brackets[depth - 1] + "' was never closed");
        return;
      }
      if (lineHasTokens) {
        out.add(Kind.NEWLINE, n, n, line, line, 0);
      }
      while (levels > 0) {
        levels--;
        out.add(Kind.DEDENT, n, n, line, line, 0);
      }
      out.add(Kind.ENDMARKER, n, n, line, line, 0);
    }

    /**
     * At the start of a physical line outside brackets: measures indentation, emits NL for blank and comment-only
     * lines, INDENT/DEDENT otherwise. Returns false on error; leaves pos at the first token of the line or at EOF.
     */
    private boolean logicalLineStart() {
      while (true) {
        int col = 0;
        int alt = 0;
        while (pos < n) {
          final char c = s.charAt(pos);
          if (c == ' ') {
            col++;
            alt++;
          } else if (c == '\t') {
            col = (col / TAB_SIZE + 1) * TAB_SIZE;
            alt++;
          } else if (c == '\f') {
            col = 0;
            alt = 0;
          } else {
            break;
          }
          pos++;
        }
        if (pos >= n) {
          return true;
        }
        final char c = s.charAt(pos);
        if (c == '#' || c == '\n' || c == '\r') {
          if (c == '#') {
            final int start = pos;
            while (pos < n && s.charAt(pos) != '\n' && s.charAt(pos) != '\r') {
              pos++;
            }
            out.add(Kind.COMMENT, start, pos, line, line, col);
          }
          if (pos < n) {
            out.add(Kind.NL, pos, pos, line, line, col);
            pos = skipNewline(pos);
            line++;
            continue;
          }
          return true;
        }
        return indent(col, alt);
      }
    }

    private boolean indent(final int col, final int alt) {
      final int current = levels == 0 ? 0 : indents[levels];
      final int currentAlt = levels == 0 ? 0 : altIndents[levels];
      if (col > current) {
        if (levels == MAX_INDENT_LEVELS) {
          return fail(line, "too many levels of indentation");
        }
        if (alt <= currentAlt) {
          return fail(line, "inconsistent use of tabs and spaces in indentation");
        }
        levels++;
        indents[levels] = col;
        altIndents[levels] = alt;
        out.add(Kind.INDENT, pos, pos, line, line, col);
      } else if (col < current) {
        while (levels > 0 && col < indents[levels]) {
          levels--;
          out.add(Kind.DEDENT, pos, pos, line, line, col);
        }
        final int now = levels == 0 ? 0 : indents[levels];
        if (col != now) {
          return fail(line, "unindent does not match any outer indentation level");
        }
        if (alt != (levels == 0 ? 0 : altIndents[levels])) {
          return fail(line, "inconsistent use of tabs and spaces in indentation");
        }
      } else if (alt != currentAlt) {
        return fail(line, "inconsistent use of tabs and spaces in indentation");
      }
      return true;
    }

    /** Tokens up to the end of the logical line (brackets and backslashes join physical lines). */
    private boolean restOfLine() {
      final int lineIndent = levels == 0 ? 0 : indents[levels];
      while (pos < n) {
        final char c = s.charAt(pos);
        if (c == ' ' || c == '\t' || c == '\f') {
          pos++;
        } else if (c == '\n' || c == '\r') {
          if (depth > 0) {
            out.add(Kind.NL, pos, pos, line, line, lineIndent);
            pos = skipNewline(pos);
            line++;
            continue;
          }
          out.add(Kind.NEWLINE, pos, pos, line, line, lineIndent);
          lineHasTokens = false;
          pos = skipNewline(pos);
          line++;
          return true;
        } else if (c == '#') {
          final int start = pos;
          while (pos < n && s.charAt(pos) != '\n' && s.charAt(pos) != '\r') {
            pos++;
          }
          out.add(Kind.COMMENT, start, pos, line, line, lineIndent);
        } else if (c == '\\') {
          if (!isLineContinuation(pos)) {
            return fail(line, "unexpected character after line continuation character");
          }
          pos = skipNewline(pos + 1);
          line++;
          if (pos >= n) {
            return fail(line - 1, "unexpected EOF while parsing");
          }
        } else if (!token(c, lineIndent)) {
          return false;
        }
      }
      return true;
    }

    private boolean token(final char c, final int lineIndent) {
      lineHasTokens = true;
      final int start = pos;
      if (isIdentifierStart(c)) {
        int p = pos + 1;
        while (p < n && isIdentifierPart(s.charAt(p))) {
          p++;
        }
        if (p < n && (s.charAt(p) == '\'' || s.charAt(p) == '"') && isStringPrefix(start, p)) {
          return string(start, p, lineIndent);
        }
        pos = p;
        out.add(Kind.NAME, start, p, line, line, lineIndent);
        return true;
      }
      if (c >= '0' && c <= '9' || c == '.' && pos + 1 < n && isDigit(s.charAt(pos + 1))) {
        return number(lineIndent);
      }
      if (c == '\'' || c == '"') {
        return string(start, start, lineIndent);
      }
      final int multi = multiCharOperatorLength(c);
      if (multi > 0) {
        pos += multi;
        out.add(Kind.OP, start, pos, line, line, lineIndent);
        return true;
      }
      if (OPERATORS_1.indexOf(c) >= 0) {
        if (c == '(' || c == '[' || c == '{') {
          if (depth == brackets.length) {
            return fail(line, "too many nested parentheses");
          }
          brackets[depth] = c;
          bracketLines[depth] = line;
          depth++;
        } else if (c == ')' || c == ']' || c == '}') {
          if (depth == 0) {
            return fail(line, "unmatched '" + c + "'");
          }
          final char open = brackets[depth - 1];
          if (open != (c == ')' ? '(' : c == ']' ? '[' : '{')) {
            return fail(line, "closing parenthesis '" + c + "' does not match opening parenthesis '" + open + "'"
                + (bracketLines[depth - 1] != line ? " on line " + bracketLines[depth - 1] : ""));
          }
          depth--;
        }
        pos++;
        out.add(Kind.OP, start, pos, line, line, lineIndent);
        return true;
      }
      return fail(line, "invalid character '" + c + "' (U+" + String.format("%04X", (int) c) + ")");
    }

    /**
     * 3 when {@code **= //= >>= <<= ...} starts at pos, 2 for {@code ** // >> << -> := != == <= >= += -= *= /= %=
     * &= |= ^= @=}, else 0; decided on the chars rather than by trying each operator, as operators are a third of all
     * tokens.
     */
    private int multiCharOperatorLength(final char c) {
      if (pos + 1 >= n) {
        return 0;
      }
      final char c1 = s.charAt(pos + 1);
      final boolean doubled = c == c1 && (c == '*' || c == '/' || c == '>' || c == '<');
      if (pos + 2 < n) {
        final char c2 = s.charAt(pos + 2);
        if (doubled && c2 == '=' || c == '.' && c1 == '.' && c2 == '.') {
          return 3;
        }
      }
      if (doubled || c == '-' && c1 == '>') {
        return 2;
      }
      return c1 == '=' && "+-*/%&|^@<>=!:".indexOf(c) >= 0 ? 2 : 0;
    }

    private boolean number(final int lineIndent) {
      final int start = pos;
      final char c = s.charAt(pos);
      if (c == '0' && pos + 1 < n && "xXoObB".indexOf(s.charAt(pos + 1)) >= 0) {
        final char radix = Character.toLowerCase(s.charAt(pos + 1));
        pos += 2;
        final int digits = pos;
        while (pos < n && (isRadixDigit(s.charAt(pos), radix) || s.charAt(pos) == '_'
            && pos + 1 < n && isRadixDigit(s.charAt(pos + 1), radix))) {
          pos++;
        }
        if (pos == digits) {
          return fail(line, "invalid " + (radix == 'x' ? "hexadecimal" : radix == 'o' ? "octal" : "binary")
              + " literal");
        }
      } else {
        final int intStart = pos;
        digits();
        final boolean leadingZero = s.charAt(intStart) == '0' && pos - intStart > 1;
        boolean fraction = false;
        if (pos < n && s.charAt(pos) == '.') {
          pos++;
          fraction = true;
          if (pos < n && isDigit(s.charAt(pos))) {
            digits();
          }
        }
        boolean exponent = false;
        if (pos < n && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
          int p = pos + 1;
          if (p < n && (s.charAt(p) == '+' || s.charAt(p) == '-')) {
            p++;
          }
          if (p < n && isDigit(s.charAt(p))) {
            pos = p;
            digits();
            exponent = true;
          } else {
            return fail(line, "invalid decimal literal");
          }
        }
        final boolean imaginary = pos < n && (s.charAt(pos) == 'j' || s.charAt(pos) == 'J');
        if (imaginary) {
          pos++;
        }
        if (leadingZero && !fraction && !exponent && !imaginary && !allZeros(intStart, pos)) {
          return fail(line, "leading zeros in decimal integer literals are not permitted");
        }
      }
      if (pos < n && isIdentifierStart(s.charAt(pos)) && !keywordFollows(pos)) {
        return fail(line, "invalid decimal literal");
      }
      out.add(Kind.NUMBER, start, pos, line, line, lineIndent);
      return true;
    }

    /** CPython still accepts a keyword glued to a number ({@code 1if x else 2}), with a warning. */
    private boolean keywordFollows(final int p) {
      for (final String k : new String[] {"and", "else", "for", "if", "in", "is", "not", "or"}) {
        if (s.startsWith(k, p) && (p + k.length() >= n || !isIdentifierPart(s.charAt(p + k.length())))) {
          return true;
        }
      }
      return false;
    }

    private void digits() {
      while (pos < n && (isDigit(s.charAt(pos)) || s.charAt(pos) == '_' && pos + 1 < n
          && isDigit(s.charAt(pos + 1)))) {
        pos++;
      }
    }

    private boolean allZeros(final int from, final int to) {
      for (int i = from; i < to; i++) {
        if (s.charAt(i) != '0' && s.charAt(i) != '_') {
          return false;
        }
      }
      return true;
    }

    /** A string literal from its prefix at {@code start}; the opening quote is at {@code quote}. */
    private boolean string(final int start, final int quote, final int lineIndent) {
      boolean fstring = false;
      for (int i = start; i < quote; i++) {
        fstring |= s.charAt(i) == 'f' || s.charAt(i) == 'F';
      }
      final int firstLine = line;
      final int end = scanString(quote, fstring);
      if (end < 0) {
        return false;
      }
      pos = end;
      out.add(Kind.STRING, start, end, firstLine, line, lineIndent);
      return true;
    }

    /** Returns the offset after the closing quote, or -1 after reporting an error. Counts the lines crossed. */
    private int scanString(final int quote, final boolean fstring) {
      final char q = s.charAt(quote);
      final boolean triple = quote + 2 < n && s.charAt(quote + 1) == q && s.charAt(quote + 2) == q;
      final int startLine = line;
      int p = quote + (triple ? 3 : 1);
      while (p < n) {
        final char c = s.charAt(p);
        if (c == '\\') {
          if (p + 1 < n && s.charAt(p + 1) == '\n') {
            line++;
          } else if (p + 2 < n && s.charAt(p + 1) == '\r' && s.charAt(p + 2) == '\n') {
            line++;
            p++;
          }
          p += 2;
          continue;
        }
        if (c == q) {
          if (!triple) {
            return p + 1;
          }
          if (p + 2 < n && s.charAt(p + 1) == q && s.charAt(p + 2) == q) {
            return p + 3;
          }
        } else if (c == '\n' || c == '\r') {
          if (!triple) {
            fail(startLine, "unterminated string literal (detected at line " + startLine + ")");
            return -1;
          }
          if (c == '\n') {
            line++;
          }
        } else if (fstring && c == '{') {
          if (p + 1 < n && s.charAt(p + 1) == '{') {
            p += 2;
            continue;
          }
          p = replacementField(p + 1, q, triple);
          if (p < 0) {
            return -1;
          }
          continue;
        }
        p++;
      }
      fail(startLine, triple ? "unterminated triple-quoted string literal (detected at line " + line + ")"
          : "unterminated string literal (detected at line " + startLine + ")");
      return -1;
    }

    /**
     * Skips an f-string replacement field from after its '{' to after its '}': brackets nest, strings inside are
     * skipped whole whatever their quotes (3.12), a top-level ':' starts a format spec that may hold fields. A quote
     * of the enclosing string's kind ends the string early under 3.11 only when no string is open in the field,
     * which a field cannot contain in valid 3.11 code, so 3.12's reading is taken.
     */
    private int replacementField(final int from, final char outerQuote, final boolean outerTriple) {
      int p = from;
      int nesting = 0;
      while (p < n) {
        final char c = s.charAt(p);
        if (c == '\'' || c == '"') {
          int prefix = p;
          while (prefix > from && Character.isLetter(s.charAt(prefix - 1))) {
            prefix--;
          }
          final boolean nestedF = s.substring(prefix, p).toLowerCase().indexOf('f') >= 0;
          if (!outerTriple && c == outerQuote && !sameQuoteNestingAllowed(p)) {
            fail(line, "f-string: expecting '}'");
            return -1;
          }
          p = scanString(p, nestedF);
          if (p < 0) {
            return -1;
          }
          continue;
        }
        if ((c == '\n' || c == '\r') && !outerTriple) {
          fail(line, "f-string: expecting '}'");
          return -1;
        }
        if (c == '\n') {
          line++;
        }
        if (c == '(' || c == '[' || c == '{') {
          nesting++;
        } else if (c == ')' || c == ']') {
          nesting--;
        } else if (c == '}') {
          if (nesting == 0) {
            return p + 1;
          }
          nesting--;
        } else if (c == ':' && nesting == 0 && !(p + 1 < n && s.charAt(p + 1) == '=')) {
          return formatSpec(p + 1, outerQuote, outerTriple);
        }
        p++;
      }
      fail(line, "f-string: expecting '}'");
      return -1;
    }

    /** A same-quote string inside a single-quoted f-string's field: only when it is a complete literal (3.12). */
    private boolean sameQuoteNestingAllowed(final int p) {
      final char q = s.charAt(p);
      for (int i = p + 1; i < n; i++) {
        final char c = s.charAt(i);
        if (c == '\n' || c == '\r') {
          return false;
        }
        if (c == '\\') {
          i++;
        } else if (c == q) {
          return true;
        }
      }
      return false;
    }

    private int formatSpec(final int from, final char outerQuote, final boolean outerTriple) {
      int p = from;
      while (p < n) {
        final char c = s.charAt(p);
        if (c == '{') {
          p = replacementField(p + 1, outerQuote, outerTriple);
          if (p < 0) {
            return -1;
          }
          continue;
        }
        if (c == '}') {
          return p + 1;
        }
        if (c == outerQuote || (c == '\n' || c == '\r') && !outerTriple) {
          fail(line, "f-string: expecting '}'");
          return -1;
        }
        if (c == '\n') {
          line++;
        }
        p++;
      }
      fail(line, "f-string: expecting '}'");
      return -1;
    }

    private boolean isStringPrefix(final int from, final int to) {
      final int len = to - from;
      if (len > 2) {
        return false;
      }
      final String p = s.substring(from, to).toLowerCase();
      return switch (p) {
        case "r", "u", "f", "b", "br", "rb", "fr", "rf" -> true;
        default -> false;
      };
    }

    private boolean isLineContinuation(final int backslash) {
      final int next = backslash + 1;
      return next < n && (s.charAt(next) == '\n' || s.charAt(next) == '\r') || next >= n;
    }

    private int skipNewline(final int p) {
      if (p < n && s.charAt(p) == '\r') {
        return p + 1 < n && s.charAt(p + 1) == '\n' ? p + 2 : p + 1;
      }
      return p < n ? p + 1 : p;
    }

    private int lineOf(final int offset) {
      int l = 1;
      for (int i = 0; i < offset; i++) {
        if (s.charAt(i) == '\n') {
          l++;
        }
      }
      return l;
    }

    private boolean fail(final int atLine, final String message) {
      if (out.error == null) {
        out.error = "line " + atLine + ": " + message;
        out.errorLine = atLine;
      }
      return false;
    }

    private static boolean isDigit(final char c) {
      return c >= '0' && c <= '9';
    }

    private static boolean isRadixDigit(final char c, final char radix) {
      return switch (radix) {
        case 'x' -> isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
        case 'o' -> c >= '0' && c <= '7';
        default -> c == '0' || c == '1';
      };
    }

    private static boolean isIdentifierStart(final char c) {
      return c < 0x80 ? IDENTIFIER_START[c] : Character.isUnicodeIdentifierStart(c) || Character.isSurrogate(c);
    }

    private static boolean isIdentifierPart(final char c) {
      return c < 0x80 ? IDENTIFIER_PART[c] : Character.isUnicodeIdentifierPart(c) || Character.isSurrogate(c);
    }
  }
}
