package io.r2estream.topics;

import io.r2estream.avro.DeadLetter;
import io.r2estream.metrics.R2eMetrics;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * Builds {@link DeadLetter} records the same way wherever a record is given up on, and counts each one in the
 * process's {@code r2e.records.failed} meter (tagged with the stage and the error's class): every dead-letter path
 * goes through here, so none is missed.
 */
public final class DeadLetters {


  private static final int MAX_MESSAGE_CHARS = 4000;

  private DeadLetters() {
  }

  /**
   * @param key   the original key bytes, null if none
   * @param value the original value bytes, untouched, null if none
   * @param stage the component that failed, e.g. "env-generation"
   * @param error what went wrong; its class and message (with the causes' messages) are kept
   */
  public static DeadLetter of(final String topic, final int partition, final long offset, final byte[] key,
      final byte[] value, final String stage, final Throwable error, final Instant at) {
    R2eMetrics.failed(R2eMetrics.registry(), stage, error).increment();
    return new DeadLetter(topic, partition, offset, key == null ? null : ByteBuffer.wrap(key),
        value == null ? null : ByteBuffer.wrap(value), stage, error.getClass().getName(), describe(error), at);
  }

  /** A dead letter for a record a consumer (not a topology) could not process. */
  public static DeadLetter of(final String topic, final int partition, final long offset, final String key,
      final byte[] value, final String stage, final Throwable error, final Instant at) {
    return of(topic, partition, offset, key == null ? null : key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        value, stage, error, at);
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
