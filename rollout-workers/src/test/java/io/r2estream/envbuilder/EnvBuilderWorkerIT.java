package io.r2estream.envbuilder;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.avro.DeadLetter;
import io.r2estream.avro.EnvCandidate;
import io.r2estream.avro.EnvValidation;
import io.r2estream.avro.ValidationStatus;
import io.r2estream.embedded.KafkaBrokerExtension;
import io.r2estream.recipes.RecipeRegistry;
import io.r2estream.runtime.DockerContainerRuntime;
import io.r2estream.runtime.ResourceLimits;
import io.r2estream.runtime.images.PythonBaseImage;
import io.r2estream.serde.R2eSerdes;
import io.r2estream.topics.Topics;
import io.r2estream.workers.JobWorker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The environment builder as a consumer-group worker on the real broker and engine: a member killed in the middle
 * of a validation leaves its record uncommitted, the member that takes over its partitions validates it, and every
 * candidate ends with a validation; a record that is not a candidate goes to the dead-letter topic.
 */
class EnvBuilderWorkerIT {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final String REGISTRY = "mock://envbuilder-worker-it";
  private static final String OWNER = "r2e-test-envbuilder-worker";

  @TempDir
  Path tmp;

  @Test
  void aWorkerKilledMidValidationHasItsCandidateRedoneByAnotherMember() throws Exception {
    final List<EnvCandidate> sample = SampleCandidates.of(SampleCandidates.sampleProject(tmp.resolve("textkit")),
        "textkit-worker");
    final List<EnvCandidate> candidates = sample.subList(0, 2);
    final Map<String, Object> kafka = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    final EnvBuilderConfig config = EnvBuilderConfig.from(Map.of(EnvBuilderConfig.GROUP_ID_CONFIG, "g-" + UUID.randomUUID()),
        tmp);
    try (DockerContainerRuntime runtime = new DockerContainerRuntime(OWNER)) {
      new PythonBaseImage(runtime).ensure();
      final EnvValidator validator = new EnvValidator(runtime, new EnvImages(runtime, PythonBaseImage.DEFAULT_TAG,
          new ResourceLimits(2, 2L << 30, 2048)), new TaskMaterializer(runtime, ResourceLimits.defaults()),
          RecipeRegistry.defaults(), new EnvValidator.Settings(2, false, tmp.resolve("cache"),
          PythonBaseImage.DEFAULT_TAG, OWNER), Clock.systemUTC());
      final CountDownLatch started = new CountDownLatch(1);
      final JobWorker<EnvCandidate> doomed = new JobWorker<>("doomed", Topics.ENV_CANDIDATES, config.groupId(), kafka,
          REGISTRY, 1, (key, candidate) -> {
            started.countDown();
            new CountDownLatch(1).await(); // a validation that is still running when the process dies
            throw new AssertionError("unreachable");
          }).start();
      publish(candidates);
      assertTrue(started.await(60, java.util.concurrent.TimeUnit.SECONDS), "the first member took a candidate");
      doomed.crash();

      try (JobWorker<EnvCandidate> survivor = EnvBuilder.worker("survivor", config, kafka, REGISTRY, validator)
          .start()) {
        final Map<String, List<EnvValidation>> byKey = new HashMap<>();
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() -> {
          byKey.clear();
          readValidations().forEach(v -> byKey.computeIfAbsent(v.getTaskId(), k -> new ArrayList<>()).add(v));
          return byKey.keySet().containsAll(candidates.stream().map(EnvCandidate::getTaskId).toList());
        });
        for (final EnvCandidate c : candidates) {
          final List<EnvValidation> vs = byKey.get(c.getTaskId());
          assertEquals(1, vs.size(), "exactly one validation of " + c.getTaskId());
          assertEquals(ValidationStatus.NEW_COMMIT_BETTER, vs.get(0).getStatus(), vs.get(0).getDetail());
          assertEquals(OWNER, vs.get(0).getWorker());
        }
        sendRaw("garbage@1", new byte[] {0, 0, 0, 0, 42, 1, 2, 3});
        await().atMost(Duration.ofSeconds(60)).until(() -> survivor.deadLettered() == 1);
        final List<DeadLetter> letters = readDeadLetters();
        assertEquals(1, letters.size());
        assertTrue(letters.get(0).getErrorMessage().contains("cannot deserialize EnvCandidate"),
            letters.get(0).getErrorMessage());
      }
      assertEquals(0, runtime.ownContainerIds().size(), "no container left behind");
    }
  }

  private static void publish(final List<EnvCandidate> candidates) {
    final Map<String, Object> p = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    try (KafkaProducer<String, EnvCandidate> producer = new KafkaProducer<>(p, new StringSerializer(),
        R2eSerdes.valueSerde(Topics.ENV_CANDIDATES, REGISTRY).serializer())) {
      candidates.forEach(c -> producer.send(new ProducerRecord<>(Topics.ENV_CANDIDATES.name(), c.getTaskId(), c)));
    }
  }

  private static void sendRaw(final String key, final byte[] value) {
    final Map<String, Object> p = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
        new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(Topics.ENV_CANDIDATES.name(), key, value));
    }
  }

  private static List<EnvValidation> readValidations() {
    final List<EnvValidation> out = new ArrayList<>();
    for (final ConsumerRecord<String, byte[]> r : readAll(Topics.ENV_VALIDATIONS.name())) {
      out.add(R2eSerdes.valueSerde(Topics.ENV_VALIDATIONS, REGISTRY).deserializer().deserialize(r.topic(), r.value()));
    }
    return out;
  }

  private static List<DeadLetter> readDeadLetters() {
    final List<DeadLetter> out = new ArrayList<>();
    final var dlq = Topics.dlqOf(Topics.ENV_CANDIDATES);
    for (final ConsumerRecord<String, byte[]> r : readAll(dlq.name())) {
      out.add(R2eSerdes.valueSerde(dlq, REGISTRY).deserializer().deserialize(r.topic(), r.value()));
    }
    return out;
  }

  /** Everything on a topic now, read from the beginning by a throwaway group. */
  private static List<ConsumerRecord<String, byte[]>> readAll(final String topic) {
    final Map<String, Object> c = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "read-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    final List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      final long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      while (System.nanoTime() < end) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }
}
