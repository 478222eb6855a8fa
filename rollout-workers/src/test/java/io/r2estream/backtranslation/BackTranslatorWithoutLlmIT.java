package io.r2estream.backtranslation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.r2estream.avro.EnvValidation;
import io.r2estream.avro.ProblemStatement;
import io.r2estream.config.ConfigKeys;
import io.r2estream.embedded.KafkaBrokerExtension;
import io.r2estream.serde.R2eSerdes;
import io.r2estream.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With no LLM configured the worker still publishes a statement per validation: the commit message, saying so. */
class BackTranslatorWithoutLlmIT {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final String REGISTRY = "mock://backtranslator-without-llm-it";

  @Test
  void everyStatementIsTheCommitMessage() throws Exception {
    final String task = "acme/timekit@plain";
    final Map<String, String> config = Map.of(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(),
        ConfigKeys.REGISTRY_URL, REGISTRY);
    final BackTranslatorSettings settings = BackTranslatorSettings.from(config, Map.of());
    final List<ProblemStatement> out = new ArrayList<>();

    try (BackTranslator worker = new BackTranslator(settings, Optional.empty(), Clock.systemUTC()).start();
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()), new ByteArraySerializer(),
            new ByteArraySerializer());
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()), new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      final EnvValidation v = Validations.better(task);
      producer.send(new ProducerRecord<>(Topics.ENV_VALIDATIONS.name(), task.getBytes(StandardCharsets.UTF_8),
          R2eSerdes.valueSerde(Topics.ENV_VALIDATIONS, REGISTRY).serializer()
              .serialize(Topics.ENV_VALIDATIONS.name(), v))).get();
      final Deserializer<ProblemStatement> values = R2eSerdes.valueSerde(Topics.PROBLEM_STATEMENTS, REGISTRY)
          .deserializer();
      final List<TopicPartition> parts = consumer.partitionsFor(Topics.PROBLEM_STATEMENTS.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(values.deserialize(r.topic(), r.value())));
        return !out.isEmpty();
      });
      assertEquals(1, worker.stats().fallbacks());
    }

    assertEquals(1, out.size());
    final ProblemStatement s = out.get(0);
    assertEquals(task, s.getTaskId());
    assertEquals(ProblemStatements.SOURCE_COMMIT_MESSAGE, s.getSource());
    assertEquals(BackTranslation.NO_LLM, s.getDetail());
    assertEquals(Validations.MESSAGE.strip(), s.getProblemStatement());
    assertEquals("", s.getPrompt());
  }
}
