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
