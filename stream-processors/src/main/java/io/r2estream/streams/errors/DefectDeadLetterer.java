package io.r2estream.streams.errors;

import io.r2estream.avro.DeadLetter;
import io.r2estream.topics.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.function.BiFunction;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Turns a record that could be read but not processed into a {@link DeadLetter} holding its re-encoded bytes (null
 * for a record without value) and the defect as an {@link IllegalArgumentException}, for the input topic's DLQ.
 *
 * @param <V> the input value type
 */
public final class DefectDeadLetterer<V> implements FixedKeyProcessor<String, V, DeadLetter> {

  private final Serializer<V> serializer;
  private final BiFunction<String, V, Optional<String>> defect;
  private final String stage;
  private final Clock clock = Clock.systemUTC();
  private FixedKeyProcessorContext<String, DeadLetter> context;

  /**
   * @param serializer re-encodes the value for the letter
   * @param defect     the reason the record is refused (present for every record this processor sees)
   * @param stage      {@code DeadLetter.stage}
   */
  public DefectDeadLetterer(final Serializer<V> serializer, final BiFunction<String, V, Optional<String>> defect,
      final String stage) {
    this.serializer = serializer;
    this.defect = defect;
    this.stage = stage;
  }

  @Override
  public void init(final FixedKeyProcessorContext<String, DeadLetter> context) {
    this.context = context;
  }

  @Override
  public void process(final FixedKeyRecord<String, V> record) {
    final RecordMetadata meta = context.recordMetadata().orElseThrow();
    final String reason = defect.apply(record.key(), record.value()).orElseThrow();
    final byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
    final byte[] value = record.value() == null ? null : serializer.serialize(meta.topic(), record.value());
    context.forward(record.withValue(DeadLetters.of(meta.topic(), meta.partition(), meta.offset(), key, value, stage,
        new IllegalArgumentException(reason), clock.instant())));
  }
}
