package io.r2estream.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A process that died without removing its containers: the next one with the same owner reaps only those. */
class ReapLeakedIT {

  @Test
  void reapsTheLeakedContainersOfOneOwnerOnly() {
    final String image = TestDocker.baseImage();
    final String ownerX = TestDocker.owner("reap-x");
    final String ownerY = TestDocker.owner("reap-y");
    final List<String> leaked;
    try (var crashed = TestDocker.runtime(ownerX)) {
      leaked = List.of(crashed.start(ContainerSpec.of(image, "reap-x")).id(),
          crashed.start(ContainerSpec.of(image, "reap-x")).id());
      // "Crashes": closes its client without removing anything.
    }
    try (var other = TestDocker.runtime(ownerY); var restarted = TestDocker.runtime(ownerX)) {
      final var kept = other.start(ContainerSpec.of(image, "reap-y"));
      try {
        assertTrue(restarted.ownContainerIds().containsAll(leaked));
        assertEquals(2, restarted.reapLeaked(ownerX));
        assertEquals(List.of(), restarted.ownContainerIds());
        assertEquals(List.of(kept.id()), other.ownContainerIds());
        assertTrue(other.exec(kept, ExecRequest.of("true", java.time.Duration.ofSeconds(10))).ok());
        assertEquals(0, restarted.reapLeaked(ownerX), "reaping twice finds nothing");
      } finally {
        other.remove(kept);
      }
      assertEquals(0, other.reapLeaked(ownerY));
    }
  }
}
