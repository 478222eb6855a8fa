package io.r2estream.streams;

import io.r2estream.registry.SchemaRegistryClients;
import io.r2estream.streams.errors.DeadLetterDeserializationHandler;
import io.r2estream.topics.TopicSpec;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka Streams settings every topology of the platform runs with: exactly-once, String keys, no default value
 * serde (every boundary names its serde), reading new inputs from the start, and undecodable records dead-lettered
 * by {@link DeadLetterDeserializationHandler} under the topology's stage name, and requests large enough for the
 * largest dead letter.
 */
public final class StreamsDefaults {

  /** The producer must fit a dead letter carrying a maximal input record plus its envelope. */
  public static final int MAX_REQUEST_BYTES = TopicSpec.MAX_MESSAGE_BYTES + 64 * 1024;

  private StreamsDefaults() {
  }

  /**
   * @param registryUrl schema registry for the dead-letter handler ({@code mock://scope} in tests)
   * @param stateDir    where the topology's stores keep their RocksDB files
   * @param stage       {@code DeadLetter.stage} of the topology's dead letters
   */
  public static Properties properties(final String bootstrap, final String applicationId, final String registryUrl,
      final Path stateDir, final String stage) {
    final Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class.getName());
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
    p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterDeserializationHandler.class.getName());
    p.put(DeadLetterDeserializationHandler.STAGE_CONFIG, stage);
    p.put(SchemaRegistryClients.URL_CONFIG, registryUrl);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), MAX_REQUEST_BYTES);
    return p;
  }
}
