package io.r2estream.deploy.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.deploy.platform.EmbeddedPlatform;
import io.r2estream.deploy.platform.PlatformConfig;
import io.r2estream.deploy.platform.TestPlatforms;
import io.r2estream.producers.commits.CommitPublisher;
import io.r2estream.producers.commits.CommitRange;
import io.r2estream.producers.commits.CommitScanner;
import io.r2estream.producers.commits.EventSource;
import io.r2estream.producers.commits.IngestProgress;
import io.r2estream.producers.commits.IngestReport;
import io.r2estream.producers.commits.PublishException;
import io.r2estream.producers.commits.RepositoryIngestor;
import io.r2estream.producers.commits.RepositorySource;
import io.r2estream.producers.commits.ScanLimits;
import io.r2estream.testkit.SyntheticPythonHistory;
import io.r2estream.topics.TaskIds;
import io.r2estream.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded platform is stopped in the middle of an ingest and restarted on the same data directory and ports;
 * re-running the ingest (what a user does after a crash) leaves every commit decided exactly once: nothing lost,
 * nothing decided twice across the two lives.
 */
class RestartDuringIngestIT {

  private static final String REPOSITORY = "acme/synthetic";
  private static final int COMMITS = 300;
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  /**
   * How long the restarted topology may take to get RUNNING. A healthy restart takes a few seconds; when the
   * previous life stayed in its consumer group, the restart waits out that member's session (the consumer default,
   * 45 s, counted from when the restarted broker loads the group).
   */
  private static final Duration STREAMS_RESTART_BUDGET = Duration.ofSeconds(30);
  private static final Pattern STARTED_IN = Pattern.compile("^\\s*stream topologies\\s.*?(\\d+) ms$");

  @TempDir
  Path tmp;

  @Test
  void aStopMidIngestThenARerunDecidesEveryCommitExactlyOnce() throws Exception {
    SyntheticPythonHistory.ensure(tmp.resolve("synthetic.git"), COMMITS);
    final List<String> shas = SyntheticPythonHistory.shas(tmp.resolve("synthetic.git"));
    assertEquals(COMMITS, shas.size());
    final Set<String> keys = new TreeSet<>();
    shas.forEach(sha -> keys.add(TaskIds.of(REPOSITORY, sha)));
    final RepositorySource source = RepositorySource.local(tmp.resolve("synthetic.git")).withId(REPOSITORY);
    final PlatformConfig config = TestPlatforms.config(tmp.resolve("data"));

    // First life: the ingest thread pauses once half of the history is handed to the producer, the platform is
    // stopped under it, and the ingest fails on the rest.
    final CountDownLatch halfway = new CountDownLatch(1);
    final CountDownLatch stopped = new CountDownLatch(1);
    final IngestProgress pauseHalfway = (repo, done, total) -> {
      if (done == total / 2) {
        halfway.countDown();
        awaitQuietly(stopped);
      }
    };
    final ExecutorService ingestThread = Executors.newSingleThreadExecutor();
    final Future<IngestReport> interrupted;
    final String bootstrap;
    final EmbeddedPlatform first = EmbeddedPlatform.start(config, l -> { });
    try {
      bootstrap = first.bootstrapServers();
      interrupted = ingestThread.submit(() -> ingest(source, first, pauseHalfway));
      assertTrue(halfway.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the ingest never got half way");
      // Let the topology decide part of the first half, so the second life must keep some decisions and make others.
      await().atMost(TIMEOUT).until(() -> !TopicProbe.countPerKey(bootstrap, TopicProbe.DECISION_TOPICS).isEmpty());
    } finally {
      first.close();
      stopped.countDown();
    }
    final ExecutionException failure = assertThrows(ExecutionException.class,
        () -> interrupted.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the ingest must fail once Kafka is gone");
    assertInstanceOf(PublishException.class, failure.getCause());
    ingestThread.shutdown();

    // Second life on the same data directory and ports.
    final List<String> progress = new ArrayList<>();
    try (EmbeddedPlatform second = EmbeddedPlatform.start(config, progress::add)) {
      assertEquals(bootstrap, second.bootstrapServers());
      final long streamsStartMillis = progress.stream().map(STARTED_IN::matcher).filter(Matcher::matches)
          .mapToLong(m -> Long.parseLong(m.group(1))).findFirst().orElseThrow();
      assertTrue(streamsStartMillis < STREAMS_RESTART_BUDGET.toMillis(), "the topology took " + streamsStartMillis
          + " ms to restart: the first life did not leave its consumer group");
      final Map<String, Integer> survived = TopicProbe.countPerKey(bootstrap, List.of(Topics.COMMITS.name()));
      assertTrue(survived.size() > 0 && survived.size() <= COMMITS / 2,
          "the first life published part of the history only, got " + survived.size() + " of " + COMMITS);
      assertEquals(Map.of(), TopicProbe.duplicates(survived));

      final IngestReport rerun = ingest(source, second, IngestProgress.NONE);
      assertEquals(COMMITS, rerun.published());
      final Funnel funnel = FunnelCollector.collect(second.kafkaClient(), second.registryUrl(), keys, TIMEOUT, n -> { });
      assertEquals(List.of(), funnel.undecided());
      await().atMost(TIMEOUT).until(() -> TopicProbe.consumedToEnd(bootstrap, TopicProbe.ENV_GENERATION_GROUP,
          Topics.COMMITS.name()));

      final Map<String, Integer> decisions = TopicProbe.countPerKey(bootstrap, TopicProbe.DECISION_TOPICS);
      assertEquals(Map.of(), TopicProbe.duplicates(decisions), "keys decided more than once");
      assertEquals(keys, decisions.keySet());
      assertEquals(COMMITS, funnel.candidates().size() + funnel.rejections().size() + funnel.deadLetters().size());
      assertEquals(keys, TopicProbe.countPerKey(bootstrap, List.of(Topics.COMMITS.name())).keySet());
    }
  }

  /**
   * One ingest as the CLI runs it, with the producer's timeouts cut from minutes to seconds so the ingest cut off
   * by the stop fails promptly instead of retrying against a dead broker for the default two minutes.
   */
  private static IngestReport ingest(final RepositorySource source, final EmbeddedPlatform platform,
      final IngestProgress progress) throws Exception {
    final Map<String, Object> producer = CommitPublisher.config(platform.bootstrapServers(), platform.registryUrl());
    producer.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
    producer.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5_000);
    producer.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
    try (CommitScanner scanner = CommitScanner.open(source, ScanLimits.defaults());
         CommitPublisher publisher = new CommitPublisher(producer)) {
      return new RepositoryIngestor(publisher).ingest(scanner, CommitRange.head(), EventSource.SCAN, progress);
    }
  }

  private static void awaitQuietly(final CountDownLatch latch) {
    try {
      latch.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
