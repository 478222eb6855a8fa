package io.r2estream.testkit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the git binary with a clean configuration (no system or user config can change its output or speed). */
public final class Git {

  private Git() {
  }

  public static ProcessBuilder command(final Path dir, final String... args) {
    final List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
    cmd.addAll(List.of(args));
    final ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
    return pb;
  }

  public static void run(final Path dir, final String... args) throws IOException, InterruptedException {
    final Process p = command(dir, args).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("git " + String.join(" ", args) + " failed in " + dir + " with exit code "
          + p.exitValue());
    }
  }

  /** Runs git and returns its standard output; fails with the output when git fails. */
  public static String output(final Path dir, final String... args) throws IOException, InterruptedException {
    final Process p = command(dir, args).redirectErrorStream(true).start();
    final String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("git " + String.join(" ", args) + " failed in " + dir + ": " + out);
    }
    return out;
  }
}
