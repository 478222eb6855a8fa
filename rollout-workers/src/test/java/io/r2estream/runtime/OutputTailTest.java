package io.r2estream.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The bounded output tail and the timeout's argument format. */
class OutputTailTest {

  @Test
  void keepsEverythingUnderTheCapacity() {
    final var tail = new OutputTail(16);
    tail.append(bytes("hello "));
    tail.append(bytes("world"));
    assertEquals("hello world", tail.text());
    assertEquals(11, tail.totalBytes());
  }

  @Test
  void keepsTheLastBytesAcrossWrapsAndOversizedChunks() {
    final var tail = new OutputTail(8);
    tail.append(bytes("0123456"));
    tail.append(bytes("789ab"));
    assertEquals("[... 4 earlier bytes dropped ...]\n456789ab", tail.text());
    tail.append(bytes("ABCDEFGHIJKLMNOPQRSTUVWXYZ"));
    assertEquals("[... 30 earlier bytes dropped ...]\nSTUVWXYZ", tail.text());
    tail.append(bytes("z"));
    assertEquals("[... 31 earlier bytes dropped ...]\nTUVWXYZz", tail.text());
  }

  @Test
  void theBufferGrowsWithTheOutputAndKeepsTheSameTailAsAFullRing() {
    final int capacity = 100_000;
    final var small = new OutputTail(1 << 20);
    small.append(bytes("a short listing\n"));
    assertEquals(8 * 1024, small.allocated(), "a few bytes of output do not allocate the whole capacity");

    final var tail = new OutputTail(capacity);
    final StringBuilder stream = new StringBuilder();
    final java.util.Random random = new java.util.Random(42);
    for (int chunk = 0; stream.length() < 3 * capacity; chunk++) {
      final int size = random.nextInt(chunk % 7 == 0 ? 40_000 : 3_000);
      final StringBuilder c = new StringBuilder();
      for (int i = 0; i < size; i++) {
        c.append((char) ('a' + random.nextInt(26)));
      }
      tail.append(bytes(c.toString()));
      stream.append(c);
      final int kept = Math.min(stream.length(), capacity);
      final String expected = (stream.length() > kept ? "[... " + (stream.length() - kept)
          + " earlier bytes dropped ...]\n" : "") + stream.substring(stream.length() - kept);
      assertEquals(expected, tail.text(), "after chunk " + chunk + " (" + stream.length() + " bytes)");
      assertEquals(true, tail.allocated() <= capacity && tail.allocated() >= Math.min(stream.length(), capacity));
    }
  }

  @Test
  void formatsTimeoutsAsDecimalSeconds() {
    assertEquals("30", DockerContainerRuntime.seconds(Duration.ofSeconds(30)));
    assertEquals("1.5", DockerContainerRuntime.seconds(Duration.ofMillis(1500)));
    assertEquals("0.001", DockerContainerRuntime.seconds(Duration.ofNanos(10)));
    assertThrows(IllegalArgumentException.class, () -> DockerContainerRuntime.seconds(Duration.ZERO));
  }

  private static byte[] bytes(final String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
