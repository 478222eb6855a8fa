package io.r2estream.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.avro.DeadLetter;
import io.r2estream.registry.InMemorySchemaRegistryClient;
import io.r2estream.serde.AvroSerde;
import io.r2estream.topics.TopicCreator;
import io.r2estream.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerIT {

  @TempDir
  Path dir;

  @AfterEach
  void dropRegistry() {
    InMemorySchemaRegistryClient.dropScope("broker-it");
  }

  @Test
  void catalogueTopicsAndRecordsSurviveARestartOnTheSameDataDirectory() throws Exception {
    final String topic = Topics.dlqOf(Topics.COMMITS).name();
    final AvroSerde<DeadLetter> serde = new AvroSerde<>(DeadLetter.class,
        InMemorySchemaRegistryClient.scope("broker-it"), false);
    final DeadLetter letter = DeadLetter.newBuilder().setSourceTopic("r2e.commits").setStage("test")
        .setErrorClass("X").setErrorMessage("boom").setFailedAt(java.time.Instant.ofEpochMilli(1000)).build();

    // 1. first life: create every catalogue topic, write one record
    int port;
    try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, 0).start()) {
      port = broker.port();
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
        final List<String> created = TopicCreator.ensure(admin, Topics.all(), (short) 1);
        assertEquals(Topics.all().size(), created.size());
        assertEquals(List.of(), TopicCreator.ensure(admin, Topics.all(), (short) 1), "second run creates nothing");
      }
      final Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      try (KafkaProducer<String, DeadLetter> producer =
               new KafkaProducer<>(p, new StringSerializer(), serde.serializer())) {
        producer.send(new ProducerRecord<>(topic, "k1", letter)).get();
      }
    }

    // 2. second life on the same directory and port: the topics and the record are still there
    try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, port).start()) {
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
        assertTrue(admin.listTopics().names().get().containsAll(Topics.all().stream().map(t -> t.name()).toList()));
      }
      final Properties c = new Properties();
      c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      c.put(ConsumerConfig.GROUP_ID_CONFIG, "it");
      c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      final List<ConsumerRecord<String, DeadLetter>> seen = new ArrayList<>();
      try (KafkaConsumer<String, DeadLetter> consumer =
               new KafkaConsumer<>(c, new StringDeserializer(), serde.deserializer())) {
        consumer.subscribe(List.of(topic));
        final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (seen.isEmpty() && System.nanoTime() < deadline) {
          consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        }
      }
      assertEquals(1, seen.size());
      assertEquals("k1", seen.get(0).key());
      assertEquals(letter, seen.get(0).value());
    }
  }
}
