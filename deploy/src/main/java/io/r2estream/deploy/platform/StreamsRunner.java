package io.r2estream.deploy.platform;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.r2estream.avro.CommitEvent;
import io.r2estream.avro.CommitRejection;
import io.r2estream.avro.DeadLetter;
import io.r2estream.avro.EnvCandidate;
import io.r2estream.metrics.R2eMetrics;
import io.r2estream.serde.R2eSerdes;
import io.r2estream.streams.envgen.EnvGenerationTopology;
import io.r2estream.streams.envgen.SweGenConfig;
import io.r2estream.streams.ranking.HybridRankingTopology;
import io.r2estream.streams.ranking.RankingConfig;
import io.r2estream.streams.tasks.TaskAssemblyTopology;
import io.r2estream.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the platform's stream topologies in this process, each as its own Kafka Streams application
 * ({@code <application-id>-<topology>}), so each scales out independently: start the same topology in more
 * processes with the same application id and Kafka spreads the partitions.
 */
public final class StreamsRunner implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StreamsRunner.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  /** Name of the ranking application ({@code <application-id>-hybrid-ranking}). */
  public static final String RANKING = "hybrid-ranking";

  private final Map<String, KafkaStreams> apps;
  /** Each application's Kafka Streams meters (process rates, lag, state stores) in the process registry. */
  private final List<KafkaStreamsMetrics> meters = new ArrayList<>();
  private RankingQueryServer rankingQueries;

  private StreamsRunner(final Map<String, KafkaStreams> apps) {
    this.apps = apps;
  }

  /** Builds every topology from the configuration and waits until each is RUNNING. */
  public static StreamsRunner start(final PlatformConfig config, final String bootstrapServers,
      final String registryUrl) {
    final Map<String, KafkaStreams> apps = new LinkedHashMap<>();
    final StreamsRunner runner = new StreamsRunner(apps);
    // Plain client keys (security) apply to every client of a Streams application.
    final Map<String, Object> client = config.kafkaClient(bootstrapServers);
    try {
      final SweGenConfig swegen = SweGenConfig.fromProperties(config.properties());
      final Topology envGen = EnvGenerationTopology.build(swegen,
          R2eSerdes.valueSerde(Topics.COMMITS, registryUrl),
          R2eSerdes.valueSerde(Topics.ENV_CANDIDATES, registryUrl),
          R2eSerdes.valueSerde(Topics.COMMITS_REJECTED, registryUrl),
          R2eSerdes.valueSerde(Topics.dlqOf(Topics.COMMITS), registryUrl));
      final Properties props = EnvGenerationTopology.streamsConfig(bootstrapServers,
          config.applicationId() + "-env-generation", registryUrl,
          config.dataDir().resolve("streams"));
      props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
      props.putAll(client);
      runner.launch("env-generation", envGen, props);
      final Topology tasks = TaskAssemblyTopology.build(R2eSerdes.valueSerde(Topics.ENV_VALIDATIONS, registryUrl),
          R2eSerdes.valueSerde(Topics.PROBLEM_STATEMENTS, registryUrl), R2eSerdes.valueSerde(Topics.TASKS, registryUrl),
          R2eSerdes.valueSerde(Topics.dlqOf(Topics.ENV_VALIDATIONS), registryUrl));
      final Properties taskProps = TaskAssemblyTopology.streamsConfig(bootstrapServers,
          config.applicationId() + "-task-assembly", registryUrl, config.dataDir().resolve("streams"));
      taskProps.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
      taskProps.putAll(client);
      runner.launch("task-assembly", tasks, taskProps);
      final RankingConfig ranking = RankingConfig.fromProperties(config.properties());
      final Topology rankings = HybridRankingTopology.build(ranking,
          R2eSerdes.valueSerde(Topics.CANDIDATES, registryUrl), R2eSerdes.valueSerde(Topics.SCORES_TEST, registryUrl),
          R2eSerdes.valueSerde(Topics.SCORES_JUDGE, registryUrl), R2eSerdes.valueSerde(Topics.RANKINGS, registryUrl),
          R2eSerdes.valueSerde(Topics.dlqOf(Topics.CANDIDATES), registryUrl));
      final Properties rankingProps = HybridRankingTopology.streamsConfig(bootstrapServers,
          config.applicationId() + "-" + RANKING, registryUrl, config.dataDir().resolve("streams"));
      rankingProps.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
      rankingProps.putAll(client);
      runner.launch(RANKING, rankings, rankingProps);
      runner.rankingQueries = RankingQueryServer.start(apps.get(RANKING), ranking.httpPort());
      return runner;
    } catch (RuntimeException e) {
      runner.close();
      throw e;
    }
  }

  private void launch(final String name, final Topology topology, final Properties props) {
    final KafkaStreams streams = new KafkaStreams(topology, props);
    // A processing bug in one thread must not stop the pipeline: the thread is replaced and the record is retried
    // (exactly-once: its effects were aborted with the transaction).
    streams.setUncaughtExceptionHandler(e -> {
      LOG.error("stream thread of {} died, replacing it", name, e);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    final java.util.concurrent.CompletableFuture<KafkaStreams.State> settled = new java.util.concurrent.CompletableFuture<>();
    streams.setStateListener((now, before) -> {
      if (now == KafkaStreams.State.RUNNING || now == KafkaStreams.State.ERROR
          || now == KafkaStreams.State.NOT_RUNNING) {
        settled.complete(now);
      }
    });
    apps.put(name, streams);
    final KafkaStreamsMetrics m = new KafkaStreamsMetrics(streams);
    m.bindTo(R2eMetrics.registry());
    meters.add(m);
    streams.start();
    final KafkaStreams.State state;
    try {
      state = settled.get(START_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("topology " + name + " did not reach RUNNING within " + START_TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting " + name, e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("topology " + name + " failed to start", e.getCause());
    }
    if (state != KafkaStreams.State.RUNNING) {
      throw new IllegalStateException("topology " + name + " stopped while starting (state " + state + ")");
    }
    LOG.info("topology {} RUNNING", name);
  }

  /** Port of {@code GET /rankings/{taskId}} on 127.0.0.1 ({@code r2e.ranking.http-port}, else a free one). */
  public int rankingQueryPort() {
    return rankingQueries.port();
  }

  public List<String> topologyNames() {
    return new ArrayList<>(apps.keySet());
  }

  /**
   * Stops every topology and leaves its consumer group. Kafka Streams stays in the group by default; then the next
   * start (a platform restart) waits for the old member's session to expire (45 s) before it gets its partitions,
   * close to {@link #START_TIMEOUT}. Leaving hands the partitions over at once, to a restart or to other instances.
   */
  @Override
  public void close() {
    if (rankingQueries != null) {
      rankingQueries.close();
    }
    apps.values().forEach(s -> s.close(CloseOptions.timeout(CLOSE_TIMEOUT)
        .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)));
    meters.forEach(KafkaStreamsMetrics::close);
  }
}
