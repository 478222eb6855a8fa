package io.r2estream.streams.envgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the machine's CPython once on a JSON job and returns what it printed: the reference the Python grammar tests
 * compare against. A missing {@code /usr/bin/python3} fails the calling test (CI installs it), it never skips.
 */
final class CPythonOracle {

  static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final long TIMEOUT_MINUTES = 10;

  private CPythonOracle() {
  }

  /** Runs {@code script} with {@code jobJson} on stdin, in {@code workDir}; returns stdout's lines. */
  static List<String> run(final String script, final String jobJson, final Path workDir)
      throws IOException, InterruptedException {
    if (!Files.isExecutable(PYTHON)) {
      fail("These tests compare against CPython's ast.parse and need " + PYTHON + "; install python3.");
    }
    final Path scriptFile = workDir.resolve("oracle.py");
    final Path in = workDir.resolve("job.json");
    final Path out = workDir.resolve("out.txt");
    final Path err = workDir.resolve("err.txt");
    Files.writeString(scriptFile, script, StandardCharsets.UTF_8);
    Files.writeString(in, jobJson, StandardCharsets.UTF_8);
    final Process process = new ProcessBuilder(PYTHON.toString(), "-X", "utf8", scriptFile.toString())
        .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      fail("python3 did not finish within " + TIMEOUT_MINUTES + " minutes");
    }
    assertEquals(0, process.exitValue(), () -> "python3 failed: " + readQuietly(err));
    return Files.readAllLines(out, StandardCharsets.UTF_8);
  }

  private static String readQuietly(final Path p) {
    try {
      return Files.readString(p);
    } catch (final IOException e) {
      return e.toString();
    }
  }

  /** A JSON string literal for {@code s}. */
  static String quote(final String s) {
    final StringBuilder b = new StringBuilder(s.length() + 16).append('"');
    for (int i = 0; i < s.length(); i++) {
      final char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || Character.isSurrogate(c)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }

  /** Decodes the JSON string literal that starts at {@code from} in {@code s} (as Python's json.dumps writes it). */
  static String unquote(final String s, final int from) {
    final StringBuilder b = new StringBuilder();
    for (int i = from + 1; i < s.length(); i++) {
      final char c = s.charAt(i);
      if (c == '"') {
        return b.toString();
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      final char e = s.charAt(++i);
      switch (e) {
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'u' -> {
          b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> b.append(e);
      }
    }
    throw new IllegalArgumentException("Unterminated JSON string in python3 output: " + s);
  }
}
