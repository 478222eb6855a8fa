package io.r2estream.streams.ranking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class RankingEntrySerdeTest {

  private final Serde<RankingState.Scored> serde = RankingEntrySerde.serde();

  private RankingState.Scored roundTrip(final RankingState.Scored s) {
    return serde.deserializer().deserialize("t", serde.serializer().serialize("t", s));
  }

  @Test
  void everyFieldAndEveryMissingPartSurvivesTheRoundTrip() {
    final RankingState.Candidate c = new RankingState.Candidate("t@1/r/0", "t@1", "m", "diff --git a/é b/é\n", 1.0,
        42L);
    final RankingState.TestVerdict t = new RankingState.TestVerdict(7, 2.0, 9.0, 0.0, 43L);
    final RankingState.TestVerdict noTests = new RankingState.TestVerdict(7, null, 7.0, null, 44L);
    final RankingState.JudgeVerdict j = new RankingState.JudgeVerdict(0.625, 45L);
    for (final RankingState.Scored s : new RankingState.Scored[] {
        new RankingState.Scored(c, t, j), new RankingState.Scored(null, t, null),
        new RankingState.Scored(null, null, j), new RankingState.Scored(c, noTests, null),
        new RankingState.Scored(new RankingState.Candidate("x", "t@1", "m", "", null, 0), null, null)}) {
      assertEquals(s, roundTrip(s));
    }
    assertNull(serde.serializer().serialize("t", null));
    assertNull(serde.deserializer().deserialize("t", null));
  }

  @Test
  void anUnknownFormatIsAClearError() {
    final byte[] bytes = serde.serializer().serialize("t", new RankingState.Scored(null, null,
        new RankingState.JudgeVerdict(0.5, 1)));
    bytes[0] = 9;
    final SerializationException e = assertThrows(SerializationException.class,
        () -> serde.deserializer().deserialize("store-changelog", bytes));
    assertTrue(e.getMessage().contains("has format 9; this version reads 1"), e.getMessage());
  }
}
