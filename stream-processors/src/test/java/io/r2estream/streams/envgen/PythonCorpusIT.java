package io.r2estream.streams.envgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PythonTokens and PythonSyntax against CPython on the machine's whole Python corpus (the 3.11 stdlib and
 * dist-packages, ~2,200 files): same tokens as Python's tokenize, same verdict as ast.parse on every file and on
 * deterministic one-character mutants of ~300 of them. One python3 process judges everything.
 */
class PythonCorpusIT {

  private static final List<Path> ROOTS = List.of(Path.of("/usr/lib/python3.11"),
      Path.of("/usr/lib/python3/dist-packages"));
  private static final int MUTATED_FILES = 300;
  private static final int MAX_MUTATED_FILE_CHARS = 100_000;
  private static final double MIN_MUTANT_AGREEMENT = 0.99;
  private static final int THROUGHPUT_PASSES = 5;
  private static final String[] INSERTED_TOKENS = {"if", "for", "in", "not", "*", "**", "=", ":", ",", "lambda",
      "yield", "(", ")", "await", "async", "as", ":=", ".", "else", "is", "@", "del", "return", "match", "case"};
  private static final int WARMUP_PASSES = 2;

  /**
   * Per file: "F ok|err" then its tokens (type, start line, end line, JSON text; NL/ENDMARKER/ENCODING skipped,
   * NEWLINE/INDENT/DEDENT text blank) or "X" when tokenize raised or produced ERRORTOKEN, then "E". Per mutant:
   * "M ok|err line message".
   */
  private static final String ORACLE = """
      import ast, io, json, sys, tokenize, warnings
      warnings.simplefilter('ignore')
      job = json.load(sys.stdin)
      out = sys.stdout
      def verdict(src):
          try:
              ast.parse(src)
              return 'ok 0 ""'
          except SyntaxError as e:
              return 'err %s %s' % (e.lineno, json.dumps(e.msg))
          except (ValueError, RecursionError, MemoryError) as e:
              return 'err 0 %s' % json.dumps(str(e))
      for src in job['files']:
          out.write('F ' + verdict(src).split(' ')[0] + '\\n')
          lines = []
          try:
              for t in tokenize.generate_tokens(io.StringIO(src).readline):
                  name = tokenize.tok_name[t.type]
                  if name in ('NL', 'ENDMARKER', 'ENCODING'):
                      continue
                  if name == 'ERRORTOKEN':
                      raise ValueError('ERRORTOKEN')
                  text = '' if name in ('NEWLINE', 'INDENT', 'DEDENT') else t.string
                  lines.append('%s %d %d %s\\n' % (name, t.start[0], t.end[0], json.dumps(text)))
              out.writelines(lines)
          except Exception:
              out.write('X\\n')
          out.write('E\\n')
      for src in job['mutants']:
          out.write('M ' + verdict(src) + '\\n')
      """;

  private static List<Path> files;
  private static List<String> sources;

  @BeforeAll
  static void readCorpus() throws IOException {
    files = new ArrayList<>();
    sources = new ArrayList<>();
    for (final Path root : ROOTS) {
      try (Stream<Path> walk = Files.walk(root)) {
        for (final Path f : walk.filter(p -> p.toString().endsWith(".py") && Files.isRegularFile(p)).sorted()
            .toList()) {
          final String text = utf8OrNull(Files.readAllBytes(f));
          if (text != null) {
            files.add(f);
            sources.add(text);
          }
        }
      }
    }
    assertTrue(files.size() > 1000, "expected the stdlib corpus under " + ROOTS + ", found " + files.size());
  }

  private static String utf8OrNull(final byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (final CharacterCodingException e) {
      return null;
    }
  }

  @Test
  void tokensAndVerdictsMatchCPythonOnCorpusAndMutants(@TempDir final Path tmp) throws Exception {
    final List<Mutant> mutants = mutants();
    final String job = "{\"files\":" + sources.stream().map(CPythonOracle::quote).collect(Collectors.joining(",",
        "[", "]")) + ",\"mutants\":" + mutants.stream().map(m -> CPythonOracle.quote(m.source))
        .collect(Collectors.joining(",", "[", "]")) + "}";
    final List<String> out = CPythonOracle.run(ORACLE, job, tmp);

    final List<String> tokenMismatches = new ArrayList<>();
    final List<String> verdictMismatches = new ArrayList<>();
    int line = 0;
    int tokenized = 0;
    int rejected = 0;
    for (int f = 0; f < files.size(); f++) {
      final String header = out.get(line++);
      assertTrue(header.startsWith("F "), "unexpected python3 output line: " + header);
      final boolean cpythonAccepts = header.equals("F ok");
      final List<String> expected = new ArrayList<>();
      boolean skip = false;
      while (!out.get(line).equals("E")) {
        final String t = out.get(line++);
        if (t.equals("X")) {
          skip = true;
        } else {
          expected.add(decodeToken(t));
        }
      }
      line++;
      final PythonTokens tokens = PythonTokens.tokenize(sources.get(f));
      if (!skip) {
        tokenized++;
        final String diff = firstDifference(expected, ours(tokens));
        if (diff != null) {
          tokenMismatches.add(files.get(f) + ": " + diff);
        }
      }
      final String verdict = PythonSyntax.check(tokens);
      if (!cpythonAccepts) {
        rejected++;
      }
      if ((verdict == null) != cpythonAccepts) {
        verdictMismatches.add(files.get(f) + ": cpython " + (cpythonAccepts ? "accepts" : "rejects") + ", ours "
            + verdict);
      }
    }
    int agree = 0;
    int mutantsRejected = 0;
    final List<String> mutantMismatches = new ArrayList<>();
    for (final Mutant m : mutants) {
      final String cpython = out.get(line++);
      final boolean cpythonAccepts = cpython.startsWith("M ok");
      mutantsRejected += cpythonAccepts ? 0 : 1;
      final String ours = PythonSyntax.check(PythonTokens.tokenize(m.source));
      if ((ours == null) == cpythonAccepts) {
        agree++;
      } else {
        mutantMismatches.add(m.file + ":" + m.line + " " + m.mutation + "\n    cpython: " + cpython
            + "\n    ours:    " + ours);
      }
    }
    final double agreement = (double) agree / mutants.size();
    System.out.printf("corpus: %d files, %d tokenized by CPython, %d rejected by ast.parse; mutants: %d, agreement"
        + " %.4f (%d disagree), %d rejected by ast.parse%n", files.size(), tokenized, rejected, mutants.size(),
        agreement, mutants.size() - agree, mutantsRejected);
    mutantMismatches.forEach(System.out::println);

    assertEquals(List.of(), tokenMismatches, "files whose tokens differ from Python's tokenize");
    assertEquals(List.of(), verdictMismatches, "files where PythonSyntax and ast.parse disagree");
    assertTrue(mutants.size() >= 2 * MUTATED_FILES, "too few mutants: " + mutants.size());
    assertTrue(mutantsRejected >= mutants.size() / 4, "mutants must exercise rejections, only " + mutantsRejected
        + " of " + mutants.size() + " are invalid");
    assertTrue(agreement >= MIN_MUTANT_AGREEMENT, "mutant agreement " + agreement + " below "
        + MIN_MUTANT_AGREEMENT + "; disagreements:\n" + String.join("\n", mutantMismatches));
  }

  /** Throughput of tokenize + check over the corpus, reported not timed: the machine is shared. */
  @Test
  void measuresThroughputOverTheCorpus() {
    long chars = 0;
    for (final String s : sources) {
      chars += s.length();
    }
    final double[] mbPerSecond = new double[THROUGHPUT_PASSES];
    final double[] tokenizeOnly = new double[THROUGHPUT_PASSES];
    int firstRejections = -1;
    for (int pass = -WARMUP_PASSES; pass < THROUGHPUT_PASSES; pass++) {
      final long start = System.nanoTime();
      int rejections = 0;
      for (final String s : sources) {
        if (PythonSyntax.check(PythonTokens.tokenize(s)) != null) {
          rejections++;
        }
      }
      final long nanos = System.nanoTime() - start;
      if (firstRejections < 0) {
        firstRejections = rejections;
      }
      assertEquals(firstRejections, rejections, "every pass gives the same verdicts");
      final long tokenizeStart = System.nanoTime();
      int tokenCount = 0;
      for (final String s : sources) {
        tokenCount += PythonTokens.tokenize(s).size();
      }
      final long tokenizeNanos = System.nanoTime() - tokenizeStart;
      assertTrue(tokenCount > sources.size(), "the corpus has tokens");
      if (pass >= 0) {
        mbPerSecond[pass] = chars / 1e6 / (nanos / 1e9);
        tokenizeOnly[pass] = chars / 1e6 / (tokenizeNanos / 1e9);
      }
    }
    Arrays.sort(mbPerSecond);
    Arrays.sort(tokenizeOnly);
    System.out.printf("tokenize alone: median %.1f MB/s%n", tokenizeOnly[THROUGHPUT_PASSES / 2]);
    System.out.printf("tokenize+check throughput: median %.1f MB/s (chars as bytes) over %d passes of %.1f MB: %s%n",
        mbPerSecond[THROUGHPUT_PASSES / 2], THROUGHPUT_PASSES, chars / 1e6, Arrays.toString(mbPerSecond));
  }

  private record Mutant(Path file, int line, String mutation, String source) {
  }

  /**
   * Up to four per chosen file: one deleted char on a code line, one dropped ':' ending a line, one dropped ')', one
   * keyword or operator inserted before a token.
   */
  private static List<Mutant> mutants() {
    final List<Integer> candidates = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      if (sources.get(i).length() < MAX_MUTATED_FILE_CHARS && sources.get(i).length() > 200) {
        candidates.add(i);
      }
    }
    final List<Mutant> mutants = new ArrayList<>();
    final int step = Math.max(1, candidates.size() / MUTATED_FILES);
    for (int c = 0; c < candidates.size() && mutants.size() < 4 * MUTATED_FILES; c += step) {
      final int f = candidates.get(c);
      final Random random = new Random(f * 31L + 7);
      final String src = sources.get(f);
      final String[] lines = src.split("\n", -1);
      final List<Integer> code = new ArrayList<>();
      final List<Integer> colons = new ArrayList<>();
      final List<Integer> parens = new ArrayList<>();
      for (int l = 0; l < lines.length; l++) {
        final String t = lines[l].strip();
        if (!t.isEmpty() && !t.startsWith("#")) {
          code.add(l);
          if (t.endsWith(":")) {
            colons.add(l);
          }
          if (t.indexOf(')') >= 0) {
            parens.add(l);
          }
        }
      }
      if (code.isEmpty()) {
        continue;
      }
      final int l = code.get(random.nextInt(code.size()));
      int col = lines[l].length() - lines[l].stripLeading().length()
          + random.nextInt(lines[l].stripLeading().length());
      if (Character.isLowSurrogate(lines[l].charAt(col))) {
        col--;
      }
      // Whole code points only: half a surrogate pair is no text a decoded file could hold.
      final int width = Character.charCount(lines[l].codePointAt(col));
      mutants.add(mutate(files.get(f), lines, l, col, width, "delete char " + CPythonOracle.quote(
          lines[l].substring(col, col + width)) + " at column " + col));
      if (!colons.isEmpty()) {
        final int cl = colons.get(random.nextInt(colons.size()));
        mutants.add(mutate(files.get(f), lines, cl, lines[cl].lastIndexOf(':'), 1, "drop ':'"));
      }
      if (!parens.isEmpty()) {
        final int pl = parens.get(random.nextInt(parens.size()));
        final String t = lines[pl];
        int nth = random.nextInt((int) t.chars().filter(ch -> ch == ')').count());
        int at = t.indexOf(')');
        while (nth-- > 0) {
          at = t.indexOf(')', at + 1);
        }
        mutants.add(mutate(files.get(f), lines, pl, at, 1, "drop ')' at column " + at));
      }
      final PythonTokens tokens = PythonTokens.tokenize(src);
      final int t = random.nextInt(tokens.size());
      if (tokens.error() == null && tokens.kind(t) != PythonTokens.Kind.ENDMARKER) {
        final String inserted = INSERTED_TOKENS[random.nextInt(INSERTED_TOKENS.length)];
        final int at = tokens.start(t);
        mutants.add(new Mutant(files.get(f), tokens.line(t), "insert " + CPythonOracle.quote(inserted) + " before "
            + tokens.kind(t) + " " + CPythonOracle.quote(tokens.text(t)),
            src.substring(0, at) + " " + inserted + " " + src.substring(at)));
      }
    }
    return mutants;
  }

  private static Mutant mutate(final Path file, final String[] lines, final int line, final int col, final int width,
      final String what) {
    final String[] copy = lines.clone();
    copy[line] = lines[line].substring(0, col) + lines[line].substring(col + width);
    return new Mutant(file, line + 1, what, String.join("\n", copy));
  }

  private static String decodeToken(final String t) {
    final int q = t.indexOf('"');
    return t.substring(0, q) + CPythonOracle.unquote(t, q);
  }

  /** Our tokens in the oracle's format. */
  private static List<String> ours(final PythonTokens tokens) {
    final List<String> out = new ArrayList<>();
    if (tokens.error() != null) {
      out.add("ERROR " + tokens.error());
      return out;
    }
    for (int i = 0; i < tokens.size(); i++) {
      final PythonTokens.Kind k = tokens.kind(i);
      if (k == PythonTokens.Kind.NL || k == PythonTokens.Kind.ENDMARKER) {
        continue;
      }
      final boolean blank = k == PythonTokens.Kind.NEWLINE || k == PythonTokens.Kind.INDENT
          || k == PythonTokens.Kind.DEDENT;
      out.add(k + " " + tokens.line(i) + " " + tokens.endLine(i) + " " + (blank ? "" : tokens.text(i)));
    }
    return out;
  }

  /** Null when equal; DEDENTs closing the file are compared by count, not line. */
  private static String firstDifference(final List<String> expected, final List<String> actual) {
    final List<String> e = withoutTrailingDedentLines(expected);
    final List<String> a = withoutTrailingDedentLines(actual);
    for (int i = 0; i < Math.min(e.size(), a.size()); i++) {
      if (!e.get(i).equals(a.get(i))) {
        return "token " + i + ": python " + CPythonOracle.quote(e.get(i)) + ", ours " + CPythonOracle.quote(a.get(i));
      }
    }
    return e.size() == a.size() ? null : "python has " + e.size() + " tokens, ours " + a.size()
        + (a.size() > e.size() ? ", next ours " + a.get(e.size()) : ", next python " + e.get(a.size()));
  }

  private static List<String> withoutTrailingDedentLines(final List<String> tokens) {
    final List<String> out = new ArrayList<>(tokens);
    for (int i = out.size() - 1; i >= 0 && out.get(i).startsWith("DEDENT "); i--) {
      out.set(i, "DEDENT");
    }
    return out;
  }
}
