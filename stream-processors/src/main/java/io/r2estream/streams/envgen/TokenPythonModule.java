package io.r2estream.streams.envgen;

import io.r2estream.streams.envgen.PythonTokens.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link PythonModule} read from {@link PythonTokens}: the statements of a block are found by their tokens
 * (NEWLINE ends a logical line, INDENT/DEDENT delimit blocks, {@code else}/{@code elif}/{@code except}/{@code finally}
 * continue a compound statement, {@code @} lines belong to the definition below them, {@code ;} separates simple
 * statements), which is how CPython's grammar splits a module. Spans follow tree-sitter's, which
 * {@code PythonParsersAgreeTest} checks file by file on the standard library: an entity ends at its last token, and a
 * compound statement also keeps the comment lines after its last block as long as they are indented at least as far
 * as that block (tree-sitter closes the block at the first comment indented less).
 */
final class TokenPythonModule extends PythonModule {

  private final PythonTokens tokens;
  private final boolean decoratorsInEntity;

  TokenPythonModule(final PythonTokens tokens, final String syntaxError, final boolean decoratorsInEntity) {
    super(tokens.source(), syntaxError);
    this.tokens = tokens;
    this.decoratorsInEntity = decoratorsInEntity;
    if (syntaxError == null) {
      final List<PythonEntity> top = new ArrayList<>();
      for (final Span s : block(0)) {
        top.add(entity(s, s.kind, null));
      }
      topLevel(top);
    }
  }

  /** The methods of a class: function definitions (async, decorated) directly in its body. */
  List<PythonEntity> methodsOf(final TokenPythonEntity cls) {
    final List<PythonEntity> methods = new ArrayList<>();
    if (cls.body() < 0) {
      return methods;
    }
    for (final Span s : block(cls.body() + 1)) {
      if (s.kind == PythonEntity.Kind.FUNCTION) {
        methods.add(entity(s, PythonEntity.Kind.METHOD, cls));
      }
    }
    return methods;
  }

  private TokenPythonEntity entity(final Span s, final PythonEntity.Kind kind, final TokenPythonEntity owner) {
    final int start = tokens.line(decoratorsInEntity ? s.first : s.head);
    return new TokenPythonEntity(this, kind, start, s.endLine, s.first, s.last, s.endOffset,
        s.keyword < 0 ? -1 : s.keyword + 1, s.body, owner);
  }

  String text(final int firstToken, final int endOffset) {
    return source().substring(tokens.start(firstToken), endOffset);
  }

  String nameAt(final int token) {
    return token >= 0 && token < tokens.size() && tokens.kind(token) == Kind.NAME ? tokens.text(token) : "";
  }

  /**
   * One statement as an entity candidate.
   *
   * @param first     first token (the first decorator's {@code @} when decorated)
   * @param head      first token of the statement proper ({@code async} or the keyword, after decorators)
   * @param keyword   the {@code def}/{@code class} token of a definition, else -1
   * @param last      last token that is code (not comment, NEWLINE, INDENT or DEDENT)
   * @param endOffset char offset where the entity's text ends (after a kept trailing comment)
   * @param endLine   1-based last line
   * @param body      the INDENT token opening a class's body, else -1
   */
  private record Span(PythonEntity.Kind kind, int first, int head, int keyword, int last, int endOffset,
      int endLine, int body) {
  }

  /** The statements of the block starting at token {@code from}, up to its DEDENT or the end of the module. */
  private List<Span> block(final int from) {
    final List<Span> out = new ArrayList<>();
    int i = from;
    while (i < tokens.size()) {
      final Kind k = tokens.kind(i);
      if (k == Kind.DEDENT || k == Kind.ENDMARKER) {
        break;
      }
      if (k == Kind.COMMENT || k == Kind.NL || k == Kind.NEWLINE) {
        i++;
      } else if (k == Kind.INDENT) {
        // Only in code that does not parse; such modules get no entities, but never loop.
        i = matchingDedent(i) + 1;
      } else {
        i = statement(i, out);
      }
    }
    return out;
  }

  /** Reads the statement(s) of one logical line, or one compound statement, starting at {@code i}. */
  private int statement(final int i, final List<Span> out) {
    int head = i;
    while (tokens.is(head, "@")) {
      head = skipNoise(endOfLogicalLine(head) + 1);
    }
    final boolean async = tokens.is(head, "async") && head + 1 < tokens.size()
        && (tokens.is(head + 1, "def") || tokens.is(head + 1, "for") || tokens.is(head + 1, "with"));
    final int keyword = async ? head + 1 : head;
    if (!isCompound(keyword)) {
      // Decorators above anything but a definition do not parse; such modules get no entities anyway.
      return simpleStatements(i, out);
    }
    final boolean definition = tokens.is(keyword, "def") || tokens.is(keyword, "class");
    final boolean continues = tokens.is(keyword, "if") || tokens.is(keyword, "while") || tokens.is(keyword, "for")
        || tokens.is(keyword, "try");
    int p = keyword;
    int last;
    int blockIndent;
    int blockEnd;
    int firstBody = -1;
    while (true) {
      final int newline = endOfLogicalLine(p);
      final int next = skipNoise(newline + 1);
      if (next < tokens.size() && tokens.kind(next) == Kind.INDENT) {
        blockIndent = tokens.column(next);
        blockEnd = matchingDedent(next);
        if (firstBody < 0) {
          firstBody = next;
        }
        last = lastCode(blockEnd);
        p = blockEnd + 1;
      } else {
        blockIndent = -1;
        blockEnd = newline;
        last = lastCode(newline);
        p = newline + 1;
      }
      final int clause = skipNoise(p);
      if (continues && (tokens.is(clause, "else") || tokens.is(clause, "elif") || tokens.is(clause, "except")
          || tokens.is(clause, "finally"))) {
        p = clause;
        continue;
      }
      break;
    }
    int endOffset = tokens.end(last);
    int endLine = tokens.endLine(last);
    if (blockIndent >= 0) {
      for (int c = last + 1; c < blockEnd; c++) {
        if (tokens.kind(c) != Kind.COMMENT) {
          continue;
        }
        if (tokens.column(c) < blockIndent) {
          break;
        }
        endOffset = tokens.end(c);
        endLine = tokens.line(c);
      }
    }
    final PythonEntity.Kind kind = !definition ? PythonEntity.Kind.STATEMENT
        : tokens.is(keyword, "def") ? PythonEntity.Kind.FUNCTION : PythonEntity.Kind.CLASS;
    out.add(new Span(kind, i, head, definition ? keyword : -1, last, endOffset, endLine,
        kind == PythonEntity.Kind.CLASS ? firstBody : -1));
    return p;
  }

  /** Simple statements of one logical line, split at top-level semicolons. */
  private int simpleStatements(final int i, final List<Span> out) {
    final int newline = endOfLogicalLine(i);
    int depth = 0;
    int start = i;
    for (int p = i; p <= newline; p++) {
      final Kind k = tokens.kind(p);
      if (k == Kind.OP) {
        if (tokens.is(p, "(") || tokens.is(p, "[") || tokens.is(p, "{")) {
          depth++;
        } else if (tokens.is(p, ")") || tokens.is(p, "]") || tokens.is(p, "}")) {
          depth--;
        }
      }
      if (p == newline || depth == 0 && tokens.is(p, ";")) {
        final int last = lastCode(p);
        if (last >= start) {
          final PythonEntity.Kind kind = tokens.is(start, "import") ? PythonEntity.Kind.IMPORT
              : PythonEntity.Kind.STATEMENT;
          out.add(new Span(kind, start, start, -1, last, tokens.end(last), tokens.endLine(last), -1));
        }
        start = p + 1;
      }
    }
    return newline + 1;
  }

  /** Whether the statement at {@code k} opens a block: a compound keyword, or the soft keyword {@code match}. */
  private boolean isCompound(final int k) {
    if (tokens.kind(k) != Kind.NAME) {
      return false;
    }
    return switch (tokens.text(k)) {
      case "if", "while", "for", "try", "with", "def", "class" -> true;
      case "match" -> {
        // The soft keyword: a logical line ending in ':' with an indented block below is a match statement.
        final int newline = endOfLogicalLine(k);
        final int next = skipNoise(newline + 1);
        yield tokens.is(lastCode(newline), ":") && next < tokens.size() && tokens.kind(next) == Kind.INDENT;
      }
      default -> false;
    };
  }

  /** The NEWLINE ending the logical line that contains token {@code i} (or the last token). */
  private int endOfLogicalLine(final int i) {
    int p = i;
    while (p < tokens.size() - 1 && tokens.kind(p) != Kind.NEWLINE) {
      p++;
    }
    return p;
  }

  /** The last code token before {@code i} (exclusive), skipping comments and layout tokens. */
  private int lastCode(final int i) {
    int p = i - 1;
    while (p > 0) {
      final Kind k = tokens.kind(p);
      if (k != Kind.COMMENT && k != Kind.NL && k != Kind.NEWLINE && k != Kind.INDENT && k != Kind.DEDENT) {
        break;
      }
      p--;
    }
    return p;
  }

  private int skipNoise(final int i) {
    int p = i;
    while (p < tokens.size() && (tokens.kind(p) == Kind.COMMENT || tokens.kind(p) == Kind.NL)) {
      p++;
    }
    return p;
  }

  private int matchingDedent(final int indent) {
    int level = 0;
    for (int p = indent; p < tokens.size(); p++) {
      final Kind k = tokens.kind(p);
      if (k == Kind.INDENT) {
        level++;
      } else if (k == Kind.DEDENT && --level == 0) {
        return p;
      } else if (k == Kind.ENDMARKER) {
        return p;
      }
    }
    return tokens.size() - 1;
  }

  /** See {@link PythonEntity#normalForm()}: the code tokens, strings by prefix and body, bare strings dropped. */
  String normalForm(final int from, final int to) {
    final StringBuilder sb = new StringBuilder(16 * (to - from + 1));
    int depth = 0;
    int lambdas = 0;
    boolean statementStart = true;
    boolean lineStart = true;
    boolean compoundLine = false;
    for (int i = from; i <= to; i++) {
      final Kind k = tokens.kind(i);
      switch (k) {
        case COMMENT, NL -> {
          continue;
        }
        case NEWLINE, INDENT, DEDENT -> {
          sb.append(k == Kind.NEWLINE ? "\n" : k == Kind.INDENT ? "> " : "< ");
          statementStart = true;
          lineStart = true;
          compoundLine = false;
          continue;
        }
        default -> { }
      }
      if (statementStart) {
        if (lineStart) {
          compoundLine = isCompoundHeader(i);
          lineStart = false;
        }
        if (k == Kind.STRING) {
          int j = i;
          while (j <= to && tokens.kind(j) == Kind.STRING) {
            j++;
          }
          if (j > to || tokens.kind(j) == Kind.NEWLINE || tokens.is(j, ";")) {
            // A bare string statement (a docstring or any other): it changes no behaviour.
            i = j > to ? to : j;
            if (j <= to && tokens.kind(j) == Kind.NEWLINE) {
              lineStart = true;
              compoundLine = false;
            }
            continue;
          }
        }
        statementStart = false;
      }
      if (k == Kind.STRING) {
        appendString(sb, i);
      } else {
        sb.append(tokens.source(), tokens.start(i), tokens.end(i)).append(' ');
      }
      if (k != Kind.OP) {
        if (depth == 0 && tokens.is(i, "lambda")) {
          lambdas++;
        }
        continue;
      }
      if (tokens.is(i, "(") || tokens.is(i, "[") || tokens.is(i, "{")) {
        depth++;
      } else if (tokens.is(i, ")") || tokens.is(i, "]") || tokens.is(i, "}")) {
        depth--;
      } else if (depth == 0 && tokens.is(i, ";")) {
        statementStart = true;
      } else if (depth == 0 && tokens.is(i, ":")) {
        if (lambdas > 0) {
          lambdas--;
        } else if (compoundLine) {
          statementStart = true;
        }
      }
    }
    return sb.toString();
  }

  private boolean isCompoundHeader(final int i) {
    if (tokens.kind(i) != Kind.NAME) {
      return false;
    }
    return switch (tokens.text(i)) {
      case "if", "elif", "else", "while", "for", "try", "except", "finally", "with", "def", "class", "async",
          "match", "case" -> true;
      default -> false;
    };
  }

  /** A string as its lower-cased prefix and its body: quote style is formatting to Python's ast. */
  private void appendString(final StringBuilder sb, final int i) {
    final String s = tokens.source();
    final int start = tokens.start(i);
    final int end = tokens.end(i);
    int q = start;
    sb.append("s:");
    while (Character.isLetter(s.charAt(q))) {
      sb.append(Character.toLowerCase(s.charAt(q)));
      q++;
    }
    final char quote = s.charAt(q);
    final int width = q + 2 < end && s.charAt(q + 1) == quote && s.charAt(q + 2) == quote && end - q >= 6 ? 3 : 1;
    sb.append(':').append(s, q + width, end - width).append(' ');
  }
}
