package io.r2estream.workers;

import io.r2estream.avro.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Builds {@link DeadLetter} records for consumer-group workers, the same way the stream topologies do
 * (stream-processors' {@code DeadLetters}, which this module cannot reach without depending on Kafka Streams): the
 * original key and value bytes untouched, the failing stage, and the error with its causes, capped.
 */
public final class DeadLetterRecords {

  private static final int MAX_MESSAGE_CHARS = 4000;

  private DeadLetterRecords() {
  }

  public static DeadLetter of(final ConsumerRecord<byte[], byte[]> record, final String stage, final Throwable error,
      final Instant at) {
    return new DeadLetter(record.topic(), record.partition(), record.offset(),
        record.key() == null ? null : ByteBuffer.wrap(record.key()),
        record.value() == null ? null : ByteBuffer.wrap(record.value()), stage, error.getClass().getName(),
        describe(error), at);
  }

  /** The error's message followed by its causes' messages, capped so that a dead letter stays small. */
  static String describe(final Throwable error) {
    final StringBuilder sb = new StringBuilder(String.valueOf(error.getMessage()));
    for (Throwable c = error.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      sb.append(" <- ").append(c.getClass().getSimpleName()).append(": ").append(c.getMessage());
    }
    return sb.length() > MAX_MESSAGE_CHARS ? sb.substring(0, MAX_MESSAGE_CHARS) + "..." : sb.toString();
  }
}
