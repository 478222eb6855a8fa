package io.r2estream.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.dashboard.view.DashboardState;
import io.r2estream.dashboard.view.OffsetView;
import io.r2estream.dashboard.view.OffsetView.GroupLag;
import io.r2estream.embedded.KafkaBrokerExtension;
import io.r2estream.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lag panel's data on a real broker: a running Kafka Streams application (with a repartition topic), a worker
 * group with a live member and an idle group each show up with their kind and their lag per topic, the numbers being
 * what the test produced and committed.
 */
class OffsetPollerIT {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final String STREAMS_APP = "offset-poller-it-streams";
  private static final String WORKERS = "offset-poller-it-workers";
  private static final String REPARTITION = STREAMS_APP + "-by-repository-repartition";
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void streamsApplicationsAndWorkerGroupsShowTheirLagPerTopic() throws Exception {
    final int commits = 6;
    final int tasks = 5;
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()), new StringSerializer(),
        new StringSerializer())) {
      for (int i = 0; i < commits; i++) {
        producer.send(new ProducerRecord<>(Topics.COMMITS.name(), "repo-" + (i % 2) + "@c" + i, "x")).get();
      }
      for (int i = 0; i < tasks; i++) {
        producer.send(new ProducerRecord<>(Topics.TASKS.name(), 0, "task-" + i, "x")).get(); // one partition: the worker commits it
      }
    }
    final Path stateDir = Files.createTempDirectory("offset-poller-it");
    final DashboardState state = new DashboardState(10, 10);
    final KafkaConsumer<String, String> worker = workerThatCommitted(2);
    try (KafkaStreams streams = countPerRepository(stateDir);
        OffsetPoller poller = new OffsetPoller(DashboardConfig.of(KAFKA.bootstrapServers(), "mock://unused")
            .withRefresh(Duration.ofMillis(200)), state).start()) {
      streams.start();
      // The streams application reads every commit, repartitions by repository and commits both topics.
      Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
        final GroupLag source = lag(state, STREAMS_APP, Topics.COMMITS.name()).orElseThrow();
        assertEquals(new GroupLag(STREAMS_APP, OffsetView.STREAMS, Topics.COMMITS.name(), commits, commits, 0),
            source);
        final GroupLag repartition = lag(state, STREAMS_APP, REPARTITION).orElseThrow();
        assertEquals(OffsetView.STREAMS, repartition.kind());
        assertEquals(commits, repartition.end());
        assertEquals(0, repartition.lag());
        // The worker group has a live member and committed 2 of the 5 tasks.
        assertEquals(new GroupLag(WORKERS, OffsetView.WORKER, Topics.TASKS.name(), 2, tasks, tasks - 2),
            lag(state, WORKERS, Topics.TASKS.name()).orElseThrow());
      });
      worker.close(Duration.ofSeconds(5));
      // Without members the group is idle, and its committed position still shows.
      Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
          assertEquals(new GroupLag(WORKERS, OffsetView.IDLE, Topics.TASKS.name(), 2, tasks, tasks - 2),
              lag(state, WORKERS, Topics.TASKS.name()).orElseThrow()));
      final String json = state.overviewJson();
      assertTrue(json.contains("\"kind\":\"" + OffsetView.STREAMS + "\""), json);
    } finally {
      worker.close(Duration.ofSeconds(5)); // a second close is a no-op
    }
  }

  private static Optional<GroupLag> lag(final DashboardState state, final String group, final String topic) {
    final Optional<GroupLag> found = state.offsetView().lags().stream()
        .filter(l -> l.group().equals(group) && l.topic().equals(topic)).findFirst();
    if (found.isEmpty()) {
      throw new AssertionError("no lag row for " + group + " on " + topic + " in " + state.offsetView().lags());
    }
    return found;
  }

  /** A real Kafka Streams application: commits re-keyed by repository (through a repartition topic), counted. */
  private static KafkaStreams countPerRepository(final Path stateDir) {
    final StreamsBuilder b = new StreamsBuilder();
    b.stream(Topics.COMMITS.name(), Consumed.with(Serdes.String(), Serdes.String()))
        .selectKey((k, v) -> k.substring(0, k.indexOf('@')))
        .groupByKey(Grouped.with("by-repository", Serdes.String(), Serdes.String()))
        .count();
    final Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, STREAMS_APP);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    return new KafkaStreams(b.build(), p);
  }

  /** A member of the worker group, subscribed to the tasks, that has committed {@code committed} on partition 0. */
  private static KafkaConsumer<String, String> workerThatCommitted(final long committed) {
    final KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, WORKERS,
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
        new StringDeserializer(), new StringDeserializer());
    c.subscribe(List.of(Topics.TASKS.name()));
    Awaitility.await().atMost(WAIT).until(() -> {
      c.poll(Duration.ofMillis(100));
      return !c.assignment().isEmpty();
    });
    final TopicPartition p0 = new TopicPartition(Topics.TASKS.name(), 0);
    c.commitSync(Map.of(p0, new OffsetAndMetadata(committed)), Duration.ofSeconds(10));
    return c;
  }
}
