package io.r2estream.producers.rollouts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Dealing requests out: distinct partitions up to the partition count, and a small batch spread over all of them. */
class RolloutRequestPublisherTest {

  @Test
  void aBatchUpToThePartitionCountGetsDistinctPartitionsWhateverTheStart() {
    for (final int first : new int[] {0, 17, 63}) {
      for (final int batch : new int[] {1, 6, 32, 63, 64}) {
        final Set<Integer> used = new HashSet<>();
        for (int i = 0; i < batch; i++) {
          used.add(RolloutRequestPublisher.partition(first, i, batch, 64));
        }
        assertEquals(batch, used.size(), "start " + first + ", batch " + batch);
      }
    }
    assertEquals(RolloutRequestPublisher.partition(5, 0, 65, 64), RolloutRequestPublisher.partition(5, 64, 65, 64),
        "the 65th request of a larger batch wraps around to the first partition");
  }

  @Test
  void aSmallBatchReachesEveryBlockOfNeighbouringPartitions() {
    // Two members owning 0-31 and 32-63 (the assignors hand out blocks of neighbours): each gets half of 6 requests.
    for (final int first : new int[] {0, 13, 40}) {
      int low = 0;
      for (int i = 0; i < 6; i++) {
        low += RolloutRequestPublisher.partition(first, i, 6, 64) < 32 ? 1 : 0;
      }
      assertEquals(3, low, "start " + first);
    }
    // Three blocks of about 21: every block gets 2 of 6.
    for (int block = 0; block < 3; block++) {
      int n = 0;
      for (int i = 0; i < 6; i++) {
        final int p = RolloutRequestPublisher.partition(7, i, 6, 64);
        n += p >= block * 64 / 3 && p < (block + 1) * 64 / 3 ? 1 : 0;
      }
      assertTrue(n == 2, "block " + block + " got " + n);
    }
  }
}
