package io.r2estream.streams.errors;

import io.r2estream.topics.DeadLetters;
import io.r2estream.avro.DeadLetter;
import io.r2estream.serde.AvroSerializer;
import io.r2estream.topics.TopicSpec;
import io.r2estream.topics.Topics;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes records whose key or value cannot be deserialized (garbage bytes, unknown schema id) to the dead-letter
 * twin of their topic as a {@link DeadLetter} (Avro, Confluent wire format, registry from
 * {@code schema.registry.url}) keeping the original bytes, and lets the stream thread go on. The DLQ record is
 * handed back to Kafka Streams (KIP-1034), so under exactly_once_v2 it commits with the input offset.
 * If the dead letter itself cannot be serialized the handler fails the thread rather than drop the record.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

  /** Stage name written to {@code DeadLetter.stage}: the component whose input could not be read. */
  public static final String STAGE_CONFIG = "r2e.dlq.stage";

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

  private final AvroSerializer<DeadLetter> serializer = new AvroSerializer<>();
  private final Clock clock = Clock.systemUTC();
  private String stage = "unknown";

  @Override
  public void configure(final Map<String, ?> configs) {
    serializer.configure(configs, false);
    final Object s = configs.get(STAGE_CONFIG);
    if (s != null) {
      stage = s.toString();
    }
  }

  @Override
  public Response handleError(final ErrorHandlerContext context, final ConsumerRecord<byte[], byte[]> record,
      final Exception exception) {
    final String dlq = Topics.byName(record.topic()).map(TopicSpec::dlqName).orElse(record.topic() + ".dlq");
    try {
      final DeadLetter letter = DeadLetters.of(record.topic(), record.partition(), record.offset(), record.key(),
          record.value(), stage, exception, clock.instant());
      final byte[] value = serializer.serialize(dlq, letter);
      LOG.warn("Undecodable record {}-{}@{} sent to {}: {}", record.topic(), record.partition(), record.offset(),
          dlq, exception.getMessage());
      return Response.resume(List.of(new ProducerRecord<>(dlq, null, record.key(), value)));
    } catch (RuntimeException e) {
      LOG.error("Cannot dead-letter undecodable record {}-{}@{} to {}; failing instead of dropping it",
          record.topic(), record.partition(), record.offset(), dlq, e);
      return Response.fail();
    }
  }
}
