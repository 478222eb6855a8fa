package io.r2estream.deploy.cli;

import io.r2estream.avro.EnvValidation;
import io.r2estream.avro.TaskInstance;
import io.r2estream.avro.ValidationStatus;
import io.r2estream.registry.SchemaRegistryClients;
import io.r2estream.serde.AvroDeserializer;
import io.r2estream.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows the validation and task topics until every candidate is validated and every task-worthy validation (new
 * commit better, gold patch resolves) has its task, or the deadline passes. Latest value per key wins, as in the
 * compacted topics.
 */
final class ValidationCollector {

  /** What the pipeline made of the candidates so far. */
  record Outcome(Map<String, EnvValidation> validations, Map<String, TaskInstance> tasks, Set<String> expected) {

    boolean complete() {
      return validations.keySet().containsAll(expected) && tasks.keySet().containsAll(taskWorthy());
    }

    List<String> taskWorthy() {
      return validations.values().stream().filter(ValidationCollector::taskWorthy).map(EnvValidation::getTaskId)
          .toList();
    }
  }

  private ValidationCollector() {
  }

  static boolean taskWorthy(final EnvValidation v) {
    return v.getStatus() == ValidationStatus.NEW_COMMIT_BETTER && v.getGoldPatchResolves();
  }

  static Outcome collect(final Map<String, Object> kafkaClient, final String registryUrl, final Set<String> expected,
      final Duration timeout, final IntConsumer progress) {
    final Map<String, Object> cfg = FollowerConsumers.config(kafkaClient, "r2e-validations-");
    final Map<String, Object> serdeCfg = Map.of(SchemaRegistryClients.URL_CONFIG, registryUrl);
    final AvroDeserializer<EnvValidation> validations = new AvroDeserializer<>(EnvValidation.class);
    final AvroDeserializer<TaskInstance> tasks = new AvroDeserializer<>(TaskInstance.class);
    validations.configure(serdeCfg, false);
    tasks.configure(serdeCfg, false);
    final Outcome out = new Outcome(new LinkedHashMap<>(), new LinkedHashMap<>(), Set.copyOf(expected));
    try (KafkaConsumer<byte[], byte[]> consumer =
             new KafkaConsumer<>(cfg, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.ENV_VALIDATIONS.name(), Topics.TASKS.name()));
      final long deadline = System.nanoTime() + timeout.toNanos();
      while (!out.complete() && System.nanoTime() < deadline) {
        for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(250))) {
          final String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
          if (!expected.contains(key)) {
            continue;
          }
          if (r.topic().equals(Topics.ENV_VALIDATIONS.name())) {
            out.validations().put(key, validations.deserialize(r.topic(), r.value()));
          } else if (r.value() == null) {
            out.tasks().remove(key);
          } else {
            out.tasks().put(key, tasks.deserialize(r.topic(), r.value()));
          }
        }
        progress.accept(out.validations().size());
      }
    }
    return out;
  }
}
