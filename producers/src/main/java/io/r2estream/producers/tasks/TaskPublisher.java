package io.r2estream.producers.tasks;

import io.r2estream.avro.TaskInstance;
import io.r2estream.registry.SchemaRegistryClients;
import io.r2estream.serde.AvroSerializer;
import io.r2estream.topics.TopicSpec;
import io.r2estream.topics.Topics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes tasks to the compacted {@link Topics#TASKS} keyed by instance_id, so publishing a task again replaces it.
 * Idempotent producer with acks=all; each task is checked by {@link TaskChecks} first and a batch with any failing
 * task publishes nothing of it.
 */
public final class TaskPublisher implements AutoCloseable {

  /** {@code TaskInstance.source} (and statement source) of tasks imported by a user. */
  public static final String USER_SOURCE = "user";
  public static final String CLIENT_ID = "r2e-task-publisher";

  private final KafkaProducer<String, TaskInstance> producer;

  public TaskPublisher(final String bootstrapServers, final String registryUrl) {
    this(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), registryUrl);
  }

  /** @param kafkaClient Kafka client properties: bootstrap servers and security settings */
  public TaskPublisher(final Map<String, Object> kafkaClient, final String registryUrl) {
    final AvroSerializer<TaskInstance> values = new AvroSerializer<>();
    values.configure(Map.of(SchemaRegistryClients.URL_CONFIG, registryUrl), false);
    final Map<String, Object> p = new java.util.HashMap<>(kafkaClient);
    p.putAll(Map.of(
        ProducerConfig.CLIENT_ID_CONFIG, CLIENT_ID,
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicSpec.MAX_MESSAGE_BYTES));
    this.producer = new KafkaProducer<>(p, new StringSerializer(), values);
  }

  /**
   * Sends every task and waits until all are acknowledged.
   *
   * @throws RowException          when a task fails {@link TaskChecks} (nothing is sent)
   * @throws IllegalStateException when Kafka does not acknowledge a task
   */
  public void publishAll(final Collection<TaskInstance> tasks) {
    final List<String> problems = new ArrayList<>();
    tasks.forEach(t -> TaskChecks.problems(t).forEach(p -> problems.add(t.getInstanceId() + ": " + p)));
    if (!problems.isEmpty()) {
      throw new RowException(String.join("; ", problems));
    }
    final List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (final TaskInstance t : tasks) {
      sent.add(producer.send(new ProducerRecord<>(Topics.TASKS.name(), t.getInstanceId(), t)));
    }
    producer.flush();
    for (final Future<RecordMetadata> f : sent) {
      try {
        f.get();
      } catch (ExecutionException e) {
        throw new IllegalStateException("publishing a task to " + Topics.TASKS.name() + " failed: "
            + e.getCause().getMessage(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while publishing tasks", e);
      }
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
