package io.r2estream.producers.commits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.avro.CommitEvent;
import io.r2estream.embedded.KafkaBrokerExtension;
import io.r2estream.registry.InMemorySchemaRegistryClient;
import io.r2estream.testkit.TestRepo;
import io.r2estream.topics.TaskIds;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class CommitPublisherIT {

  private static final String REGISTRY = "mock://commit-publisher-it";
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  @TempDir
  static Path dir;
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @AfterAll
  static void dropRegistry() {
    InMemorySchemaRegistryClient.dropScope("commit-publisher-it");
  }

  @Test
  void ingestsEveryNonMergeCommitKeyedByTaskIdAndReingestingAddsNoNewKeys() throws Exception {
    // 1. arrange: a repository with four commits and a merge
    try (TestRepo repo = TestRepo.init(dir.resolve("calc"))) {
      repo.write("pkg/calc.py", "def add(a, b):\n    return a + b\n").commit("Initial");
      repo.checkout("topic", true);
      repo.write("pkg/topic.py", "T = 1\n").commit("Topic work");
      repo.checkout("main", false);
      repo.write("tests/test_calc.py", "def test_add():\n    assert True\n").commit("Add test");
      repo.merge("topic", "Merge topic");
      repo.write("pkg/calc.py", "def add(a, b):\n    return b + a\n").commit("Commute");
      final List<CommitEvent> expected = scanAll(repo);
      final Map<String, CommitEvent> expectedByKey = new LinkedHashMap<>();
      expected.forEach(e -> expectedByKey.put(TaskIds.of("acme/calc", e.getSha()), e));
      assertEquals(4, expectedByKey.size());

      // 2. ingest, with progress
      final List<long[]> progress = new ArrayList<>();
      final IngestReport first;
      try (CommitPublisher publisher = new CommitPublisher(KAFKA.bootstrapServers(), REGISTRY);
           CommitScanner scanner = new CommitScanner(repo.git().getRepository(), "acme/calc",
               ScanLimits.defaults(), CLOCK)) {
        first = new RepositoryIngestor(publisher).ingest(scanner, CommitRange.head(), EventSource.SCAN,
            (r, done, total) -> progress.add(new long[] {done, total}));
      }
      assertEquals(4, first.published());
      assertEquals(1, first.stats().mergesSkipped());
      assertEquals(List.of("0/4", "1/4", "2/4", "3/4", "4/4"),
          progress.stream().map(p -> p[0] + "/" + p[1]).toList());

      // 3. the topic holds exactly those events, in commit order, under their task ids
      final List<ConsumerRecord<String, CommitEvent>> records =
          TopicReader.readCommits(KAFKA.bootstrapServers(), REGISTRY, 4);
      final Map<String, CommitEvent> actual = new LinkedHashMap<>();
      records.forEach(r -> actual.put(r.key(), r.value()));
      assertEquals(expectedByKey, actual);
      assertEquals(4, records.size());

      // 4. re-ingesting the same history: the same keys, nothing new
      try (CommitPublisher publisher = new CommitPublisher(KAFKA.bootstrapServers(), REGISTRY);
           CommitScanner scanner = new CommitScanner(repo.git().getRepository(), "acme/calc",
               ScanLimits.defaults(), CLOCK)) {
        assertEquals(4, new RepositoryIngestor(publisher).ingest(scanner, CommitRange.head(), EventSource.SCAN,
            IngestProgress.NONE).published());
      }
      final List<ConsumerRecord<String, CommitEvent>> again =
          TopicReader.readCommits(KAFKA.bootstrapServers(), REGISTRY, 8);
      assertEquals(8, again.size());
      final Set<String> keys = again.stream().map(ConsumerRecord::key).collect(Collectors.toSet());
      assertEquals(expectedByKey.keySet(), keys);
    }
  }

  @Test
  void aRecordTheBrokerCannotTakeFailsTheCallWithItsKey() throws Exception {
    try (TestRepo repo = TestRepo.init(dir.resolve("big"))) {
      repo.write("big.py", "X = '" + "x".repeat(5000) + "'\n").commit("Big");
      final Map<String, Object> config = CommitPublisher.config(KAFKA.bootstrapServers(), REGISTRY);
      config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2048);
      try (CommitPublisher publisher = new CommitPublisher(config);
           CommitScanner scanner = new CommitScanner(repo.git().getRepository(), "acme/big",
               ScanLimits.defaults(), CLOCK)) {
        final String sha = repo.git().getRepository().resolve("HEAD").name();
        final PublishException e = assertThrows(PublishException.class, () ->
            new RepositoryIngestor(publisher).ingest(scanner, CommitRange.head(), EventSource.SCAN,
                IngestProgress.NONE));
        assertTrue(e.getMessage().contains("acme/big@" + sha), e.getMessage());
        assertTrue(e.getMessage().contains("RecordTooLarge"), e.getMessage());
      }
    }
  }

  private static List<CommitEvent> scanAll(final TestRepo repo) throws Exception {
    try (CommitScanner scanner = new CommitScanner(repo.git().getRepository(), "acme/calc",
        ScanLimits.defaults(), CLOCK); CommitScan scan = scanner.scan(CommitRange.head())) {
      return scan.stream().toList();
    }
  }
}
