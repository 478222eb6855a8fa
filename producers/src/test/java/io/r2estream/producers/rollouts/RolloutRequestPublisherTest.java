package io.r2estream.producers.rollouts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Dealing requests out: a batch no larger than the partition count gets one partition per request. */
class RolloutRequestPublisherTest {

  @Test
  void aBatchUpToThePartitionCountGetsDistinctPartitionsWhateverTheStart() {
    for (final int first : new int[] {0, 17, 63}) {
      final Set<Integer> used = new HashSet<>();
      for (int i = 0; i < 64; i++) {
        used.add(RolloutRequestPublisher.partition(first, i, 64));
      }
      assertEquals(64, used.size(), "start " + first);
    }
    assertEquals(RolloutRequestPublisher.partition(5, 0, 64), RolloutRequestPublisher.partition(5, 64, 64),
        "the 65th request wraps around to the first partition");
  }
}
