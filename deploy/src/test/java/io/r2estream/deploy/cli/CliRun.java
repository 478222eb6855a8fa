package io.r2estream.deploy.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * One {@code r2e} command run in this JVM as a user would type it: its exit code and what it printed on stdout and
 * stderr (stdout is echoed to the real stdout as well, so test logs show the command's output).
 */
record CliRun(int exitCode, String out, String err) {

  static CliRun of(final String... args) {
    final PrintStream savedOut = System.out;
    final PrintStream savedErr = System.err;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    final int code;
    try {
      code = R2eCli.run(args);
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
    final String printed = out.toString(StandardCharsets.UTF_8);
    savedOut.print(printed);
    return new CliRun(code, printed, err.toString(StandardCharsets.UTF_8));
  }

  /** {@code first} followed by {@code then}: the connection options, then the command. */
  static String[] concat(final String[] first, final String... then) {
    final String[] all = new String[first.length + then.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(then, 0, all, first.length, then.length);
    return all;
  }
}
