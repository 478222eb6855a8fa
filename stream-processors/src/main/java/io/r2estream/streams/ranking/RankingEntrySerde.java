package io.r2estream.streams.ranking;

import io.r2estream.avro.state.RankingCandidate;
import io.r2estream.avro.state.RankingEntry;
import io.r2estream.avro.state.RankingJudgeVerdict;
import io.r2estream.avro.state.RankingTestVerdict;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde of {@link HybridRankingTopology#CANDIDATES_STORE}'s values: a format byte, then a {@link RankingEntry} in
 * Avro binary. Every input of the ranking reads and writes one entry, and JSON took about a third of the stream
 * threads' time there; Avro binary with a generated class takes a fraction of it. The store is internal, so there is
 * no registry: a new schema gets a new format byte and this class keeps reading the old one with Avro's schema
 * resolution.
 */
final class RankingEntrySerde {

  /** The format of {@code RankingEntry.avsc} as first written. */
  static final byte FORMAT_1 = 1;

  // Both are safe to share between stream threads: they hold only the schema and resolved readers.
  private static final SpecificDatumWriter<RankingEntry> WRITER = new SpecificDatumWriter<>(RankingEntry.class);
  private static final SpecificDatumReader<RankingEntry> READER = new SpecificDatumReader<>(RankingEntry.class);

  private RankingEntrySerde() {
  }

  static Serde<RankingState.Scored> serde() {
    return Serdes.serdeFrom(serializer(), deserializer());
  }

  private static Serializer<RankingState.Scored> serializer() {
    return (topic, value) -> {
      if (value == null) {
        return null;
      }
      final ByteArrayOutputStream out = new ByteArrayOutputStream(128);
      out.write(FORMAT_1);
      final BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      try {
        WRITER.write(toAvro(value), encoder);
      } catch (IOException | RuntimeException e) {
        throw new SerializationException("cannot write the ranking entry of " + describe(value) + " for " + topic, e);
      }
      return out.toByteArray();
    };
  }

  private static Deserializer<RankingState.Scored> deserializer() {
    return (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      if (bytes.length == 0 || bytes[0] != FORMAT_1) {
        throw new SerializationException("ranking entry in " + topic + " has format "
            + (bytes.length == 0 ? "none (empty value)" : Byte.toString(bytes[0])) + "; this version reads "
            + FORMAT_1);
      }
      try {
        final BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, 1, bytes.length - 1, null);
        return fromAvro(READER.read(null, decoder));
      } catch (IOException | RuntimeException e) {
        throw new SerializationException("cannot read a ranking entry from " + topic, e);
      }
    };
  }

  static RankingEntry toAvro(final RankingState.Scored s) {
    final RankingState.Candidate c = s.candidate();
    final RankingState.TestVerdict t = s.test();
    final RankingState.JudgeVerdict j = s.judge();
    return new RankingEntry(
        c == null ? null : new RankingCandidate(c.candidateId(), c.taskId(), c.model(), c.patch(), c.reward(),
            c.eventTime()),
        t == null ? null : new RankingTestVerdict(t.regression(), t.reproduction(), t.testScore(), t.hiddenReward(),
            t.eventTime()),
        j == null ? null : new RankingJudgeVerdict(j.pYes(), j.eventTime()));
  }

  static RankingState.Scored fromAvro(final RankingEntry e) {
    final RankingCandidate c = e.getCandidate();
    final RankingTestVerdict t = e.getTest();
    final RankingJudgeVerdict j = e.getJudge();
    return new RankingState.Scored(
        c == null ? null : new RankingState.Candidate(c.getCandidateId(), c.getTaskId(), c.getModel(), c.getPatch(),
            c.getReward(), c.getEventTime()),
        t == null ? null : new RankingState.TestVerdict(t.getRegression(), t.getReproduction(), t.getTestScore(),
            t.getHiddenReward(), t.getEventTime()),
        j == null ? null : new RankingState.JudgeVerdict(j.getPYes(), j.getEventTime()));
  }

  private static String describe(final RankingState.Scored s) {
    return s.candidate() == null ? "a candidate not yet seen" : s.candidate().candidateId();
  }
}
