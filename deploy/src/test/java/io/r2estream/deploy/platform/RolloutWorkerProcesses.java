package io.r2estream.deploy.platform;

import io.r2estream.config.ConfigKeys;
import io.r2estream.rollout.RolloutConfig;
import io.r2estream.serde.R2eSerdes;
import io.r2estream.testkit.JvmProcess;
import io.r2estream.topics.TopicSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Rollout workers as separate processes, for the scale-out test and benchmark: each is {@code r2e up} with
 * {@code r2e.components=rollout} in its own JVM and data directory, against the cluster of an
 * {@link EmbeddedPlatform} (broker and registry) in the calling JVM, as a deployment runs them. Plus what those
 * checks read from outside: the group's membership, committed records per id, the containers of a worker.
 */
public final class RolloutWorkerProcesses {

  /** Printed by {@code r2e up} once every component of the process runs. */
  public static final String READY = "R2E-Stream is up";
  private static final String CLI = "io.r2estream.deploy.cli.R2eCli";
  private static final String ROLLOUT_LABEL = "io.r2estream.rollout";
  private static final String OWNER_LABEL = io.r2estream.runtime.DockerContainerRuntime.OWNER_LABEL;

  private RolloutWorkerProcesses() {
  }

  /**
   * A worker process's configuration: the cluster's addresses, its own data directory, the rollout role, one
   * rollout at a time (a member's capacity is then one slot, which makes members the unit of scale), metrics on any
   * free port (several workers share the host), and a 10 s
   * session timeout so a killed member's partitions move in seconds rather than the default 45.
   */
  public static Map<String, String> properties(final EmbeddedPlatform cluster, final Path dataDir) {
    final Map<String, String> p = new TreeMap<>();
    p.put(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS, cluster.bootstrapServers());
    p.put(ConfigKeys.REGISTRY_URL, cluster.registryUrl());
    p.put(ConfigKeys.DATA_DIR, dataDir.toString());
    p.put(ConfigKeys.COMPONENTS, PlatformComponent.ROLLOUT.configName());
    p.put(RolloutConfig.CONCURRENCY_CONFIG, "1");
    p.put(ConfigKeys.METRICS_PORT, "0"); // several workers on one host
    p.put(ConfigKeys.KAFKA_CLIENT_PREFIX + ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
    p.put(ConfigKeys.KAFKA_CLIENT_PREFIX + ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
    return p;
  }

  /** Starts a worker JVM with {@link #properties}; returns at once (see {@link JvmProcess#awaitOutput}). */
  public static JvmProcess start(final EmbeddedPlatform cluster, final String name, final Path dataDir,
      final Path log) {
    final List<String> args = new ArrayList<>();
    properties(cluster, dataDir).forEach((k, v) -> {
      args.add("-D");
      args.add(k + "=" + v);
    });
    args.add("up");
    return JvmProcess.start(name, log, "384m", CLI, args);
  }

  /** The owner label on the containers of the worker with this data directory. */
  public static String owner(final EmbeddedPlatform cluster, final Path dataDir) {
    return RolloutWorkers.owner(PlatformConfig.load(new HashMap<>(properties(cluster, dataDir))));
  }

  /** Waits until the rollout group is stable with {@code members} members, each owning partitions. */
  public static void awaitMembers(final EmbeddedPlatform cluster, final int members, final Duration timeout)
      throws Exception {
    final String group = RolloutConfig.from(Map.of()).groupId();
    try (Admin admin = Admin.create(cluster.kafkaClient())) {
      final long deadline = System.nanoTime() + timeout.toNanos();
      ConsumerGroupDescription d = null;
      while (System.nanoTime() < deadline) {
        d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
        if (d.groupState() == GroupState.STABLE && d.members().size() == members
            && d.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
          return;
        }
        Thread.sleep(200); // group membership has no event to wait on from outside
      }
      throw new IllegalStateException("group " + group + " not stable with " + members + " members within "
          + timeout + ": " + d);
    }
  }

  /** Every committed record of {@code topic} from its beginning, counted per id ({@code idOf} null: skipped). */
  public static <T extends SpecificRecord> Map<String, Long> countCommitted(final EmbeddedPlatform cluster,
      final TopicSpec<T> topic, final Function<T, String> idOf) {
    final Map<String, Object> c = new HashMap<>(cluster.kafkaClient());
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    final Map<String, Long> counts = new TreeMap<>();
    try (KafkaConsumer<String, T> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
        R2eSerdes.valueSerde(topic, cluster.registryUrl()).deserializer())) {
      final List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
          final String id = r.value() == null ? null : idOf.apply(r.value());
          if (id != null) {
            counts.merge(id, 1L, Long::sum);
          }
        });
      }
    }
    return counts;
  }

  /** Rollout ids whose agent container runs for the worker with this owner label (the docker CLI's view). */
  public static List<String> runningRollouts(final String owner) {
    return docker("ps", "--filter", "label=" + OWNER_LABEL + "=" + owner, "--filter", "label=" + ROLLOUT_LABEL,
        "--format", "{{.Label \"" + ROLLOUT_LABEL + "\"}}");
  }

  /** Removes every container of this owner, running or not. */
  public static void removeContainers(final String owner) {
    final List<String> ids = docker("ps", "-aq", "--filter", "label=" + OWNER_LABEL + "=" + owner);
    if (!ids.isEmpty()) {
      final List<String> rm = new ArrayList<>(List.of("rm", "-f"));
      rm.addAll(ids);
      docker(rm.toArray(String[]::new));
    }
  }

  private static List<String> docker(final String... args) {
    final List<String> cmd = new ArrayList<>(List.of("docker"));
    cmd.addAll(List.of(args));
    try {
      final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
      }
      return out.lines().filter(l -> !l.isBlank()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
