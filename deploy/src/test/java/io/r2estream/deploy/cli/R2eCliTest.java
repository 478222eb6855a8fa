package io.r2estream.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.embedded.Ports;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Errors are one clear line; stack traces only with --verbose. */
class R2eCliTest {

  private static String[] runCapturingErr(final int[] rc, final String... args) {
    final PrintStream saved = System.err;
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      rc[0] = R2eCli.run(args);
    } finally {
      System.setErr(saved);
    }
    return err.toString(StandardCharsets.UTF_8).lines().toArray(String[]::new);
  }

  @Test
  void unreachableKafkaIsOneClearLine() {
    final int[] rc = new int[1];
    final String dead = "127.0.0.1:" + Ports.free();
    final String[] lines = runCapturingErr(rc, "-D", "r2e.kafka.bootstrap-servers=" + dead, "topics");
    assertEquals(1, rc[0]);
    assertTrue(lines[0].startsWith("error: no Kafka answers at " + dead), String.join("\n", lines));
    assertFalse(String.join("\n", lines).contains("\tat "), "no stack trace without --verbose");
  }

  @Test
  void verbosePrintsTheStackTrace() {
    final int[] rc = new int[1];
    final String dead = "127.0.0.1:" + Ports.free();
    final String[] lines = runCapturingErr(rc, "--verbose", "-D", "r2e.kafka.bootstrap-servers=" + dead, "topics");
    assertEquals(1, rc[0]);
    assertTrue(String.join("\n", lines).contains("\tat "), "stack trace with --verbose");
  }

  @Test
  void unknownCommandIsAUsageError() {
    final int[] rc = new int[1];
    runCapturingErr(rc, "frobnicate");
    assertEquals(2, rc[0]);
  }
}
