package io.r2estream.bench;

import io.r2estream.agent.Action;
import io.r2estream.agent.AgentLimits;
import io.r2estream.agent.LlmModel;
import io.r2estream.agent.OracleModel;
import io.r2estream.avro.EnvCandidate;
import io.r2estream.avro.RolloutRequest;
import io.r2estream.avro.TaskInstance;
import io.r2estream.avro.Trajectory;
import io.r2estream.avro.TrajectoryStep;
import io.r2estream.config.ConfigKeys;
import io.r2estream.deploy.platform.PlatformConfig;
import io.r2estream.deploy.platform.RolloutWorkers;
import io.r2estream.embedded.EmbeddedKafkaBroker;
import io.r2estream.envbuilder.EnvImages;
import io.r2estream.envbuilder.TaskMaterializer;
import io.r2estream.llm.LlmClient;
import io.r2estream.llm.LlmConfig;
import io.r2estream.recipes.RecipeRegistry;
import io.r2estream.registry.InMemorySchemaRegistryClient;
import io.r2estream.reward.TaskGrader;
import io.r2estream.rollout.AgentModels;
import io.r2estream.rollout.RolloutConfig;
import io.r2estream.rollout.RolloutRunner;
import io.r2estream.runtime.DockerContainerRuntime;
import io.r2estream.runtime.ResourceLimits;
import io.r2estream.runtime.images.PythonBaseImage;
import io.r2estream.serde.R2eSerdes;
import io.r2estream.testkit.llm.RecordedRequest;
import io.r2estream.testkit.llm.ScriptedLlmServer;
import io.r2estream.testkit.llm.ScriptedReply;
import io.r2estream.topics.TopicCreator;
import io.r2estream.producers.rollouts.RolloutRequestPublisher;
import io.r2estream.topics.TopicSpec;
import io.r2estream.topics.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.management.ObjectName;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Rollouts with an LLM in the loop, at the two scales issue 4 asks about; the LLM is a {@link ScriptedLlmServer}
 * (real OpenAI-compatible HTTP), everything else is the platform's own code on the real engine. Run it with a 1 GiB
 * heap: {@code bench/rollout-scale.sh} ({@code BENCH_HEAP=1g}); {@code bench/rollout-scale.sh scripted} or
 * {@code scale} runs one part.
 *
 * <p>The scripted model plays a short, realistic agent in text mode, decided per request from the request alone:
 * the task from the problem statement in the first user message, the step from the number of assistant messages.
 * Step 0 views the file the gold patch touches ({@code file_editor view}: a real file as observation), then one
 * {@code str_replace} per hunk of the gold patch, then {@code execute_bash} runs the repository's tests, then
 * {@code finish}. Every reply carries about {@value #THOUGHT_CHARS} characters of reasoning before its call, so the
 * conversations a worker holds have the size of real ones (a few KB per turn), not of a toy script.
 *
 * <p><b>1. Rollouts per hour with a scripted LLM in the loop.</b> {@value #SCRIPTED_ROLLOUTS} rollouts (the sample's
 * validated tasks, round robin) through {@link RolloutRunner} with {@link LlmModel} on the scripted server, answering
 * at once, {@value #SCRIPTED_PARALLEL} at a time (2 cores): the platform's overhead around an LLM (HTTP client,
 * parsing, container, tools, patch, reward). Reported: rollouts per hour, median rollout seconds, and the median
 * per-rollout split of the steps' {@code llm_exec_time} vs {@code env_exec_time} (the remainder is container start
 * and removal, output patch and the reward's grading container).
 *
 * <p><b>2. Heap per concurrent rollout.</b> One rollout worker exactly as the platform process wires it
 * ({@link RolloutWorkers#start}: ExactlyOnceJobWorker, RolloutWorker, TaskCatalog, AgentModels) with
 * {@code r2e.rollout.concurrency=}{@value #SCALE}, on an in-JVM {@link EmbeddedKafkaBroker}, all in this JVM. The
 * sample's tasks go to the task topic and {@value #SCALE} requests to the request topic; the model is a name served
 * by the scripted server through {@code agent_config.base_url}. The server holds every reply {@link #HOLD} and holds
 * each rollout's first call until all {@value #SCALE} have made theirs (a barrier), so all of them are in flight at
 * once: container running, conversation in memory, an LLM call open. In flight is verified from the outside (running
 * containers labelled with this run's rollout ids) and at the LLM (requests held at once). Heap is the used heap
 * right after a forced full GC: (a) broker + idle worker, (b) the maximum over samples taken while all are in
 * flight, (c) after the run with the worker idle again; per rollout = (b - a) / {@value #SCALE}, of which
 * (b - c) / {@value #SCALE} is held by the rollout while it runs and (c - a) is the worker's one-off warm-up (client
 * buffers, pools); the lowest in-flight sample shows the rollouts between tool calls. A class histogram diff (the
 * highest sample minus after the run) says what a rollout holds.
 * Requests are published as {@code r2e rollout} publishes them (keyed by rollout id over the request topic's
 * partitions). One setting differs from the defaults, because the default caps one endpoint below
 * {@value #SCALE} calls at once (it is in the output): {@code r2e.llm.max-concurrency} is {@value #SCALE}
 * (default 8 requests per endpoint and model).
 */
public final class RolloutScaleBenchmark {

  private static final String OWNER = "r2e-bench-rollout-scale";
  private static final String REGISTRY_SCOPE = "rollout-scale-bench";
  private static final String REGISTRY = "mock://" + REGISTRY_SCOPE;
  private static final String MODEL = "scripted-agent";
  private static final String ROLLOUT_LABEL = "io.r2estream.rollout";
  private static final int SCRIPTED_ROLLOUTS = 16;
  private static final int SCRIPTED_PARALLEL = 2;
  private static final int SCALE = 32;
  private static final Duration HOLD = Duration.ofSeconds(4);
  private static final int THOUGHT_CHARS = 3_000;
  private static final Duration SCALE_DEADLINE = Duration.ofMinutes(20);
  private static final long MIB = 1L << 20;

  private RolloutScaleBenchmark() {
  }

  public static void main(final String[] args) throws Exception {
    final String part = args.length == 0 ? "all" : args[0];
    if (!List.of("all", "scripted", "scale").contains(part)) {
      throw new IllegalArgumentException("usage: rollout-scale.sh [all|scripted|scale], got '" + part + "'");
    }
    final Path tmp = Files.createTempDirectory("r2e-bench-rollout-scale-");
    final List<EnvCandidate> candidates = ValidationBenchmark.sampleCandidates(tmp);
    final List<TaskInstance> tasks;
    try (DockerContainerRuntime runtime = new DockerContainerRuntime(OWNER)) {
      runtime.reapLeaked(OWNER);
      new PythonBaseImage(runtime).ensure();
      final EnvImages images = new EnvImages(runtime, PythonBaseImage.DEFAULT_TAG,
          new ResourceLimits(2, 4L << 30, 4096));
      final TaskMaterializer materializer = new TaskMaterializer(runtime, ResourceLimits.defaults());
      final RecipeRegistry recipes = RecipeRegistry.defaults();
      tasks = RolloutBenchmark.sampleTasks(candidates, runtime, images, materializer, recipes, tmp.resolve("cache"),
          OWNER);
      System.out.printf("sample history: %d validated tasks%n", tasks.size());
      final List<String> rows = new ArrayList<>();
      if (!part.equals("scale")) {
        rows.addAll(scripted(tasks, runtime, images, materializer, recipes, tmp.resolve("cache")));
      }
      if (!part.equals("scripted")) {
        rows.addAll(scale(tasks, tmp));
      }
      runtime.reapLeaked(OWNER);
      System.out.println();
      System.out.println("| measure | value |");
      System.out.println("|---|---|");
      rows.forEach(System.out::println);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Part 1: rollouts per hour, scripted LLM answering at once, two at a time.

  private static List<String> scripted(final List<TaskInstance> tasks, final DockerContainerRuntime runtime,
      final EnvImages images, final TaskMaterializer materializer, final RecipeRegistry recipes, final Path cache)
      throws Exception {
    final ScriptedAgent agent = new ScriptedAgent(tasks, Duration.ZERO, null);
    final List<Trajectory> done = new ArrayList<>();
    final double wall;
    final String sizes;
    try (ScriptedLlmServer server = ScriptedLlmServer.start().otherwise(agent::reply)) {
      final LlmModel model = new LlmModel(new LlmClient(LlmConfig.of(server.baseUrl(), MODEL, "")), MODEL);
      final RolloutRunner runner = new RolloutRunner(runtime, images, materializer, recipes,
          new TaskGrader(runtime, images, materializer, recipes, TaskGrader.Settings.defaults()), cache,
          Clock.systemUTC());
      final ExecutorService pool = Executors.newFixedThreadPool(SCRIPTED_PARALLEL);
      final long t0 = System.nanoTime();
      try {
        final List<Future<RolloutRunner.Outcome>> all = new ArrayList<>();
        for (int i = 0; i < SCRIPTED_ROLLOUTS; i++) {
          final TaskInstance task = tasks.get(i % tasks.size());
          final RolloutRequest r = request(task, "scripted", i, server.baseUrl());
          all.add(pool.submit(() -> runner.run(task, r, model, AgentLimits.defaults(), s -> { })));
        }
        for (final Future<RolloutRunner.Outcome> f : all) {
          done.add(f.get().trajectory());
        }
      } finally {
        pool.shutdown();
      }
      wall = (System.nanoTime() - t0) / 1e9;
      System.out.printf("part 1: %d rollouts in %.1f s, %d LLM requests%n", done.size(), wall, server.requestCount());
      sizes = requestSizes(server);
    }
    final List<Double> total = new ArrayList<>();
    final List<Double> llm = new ArrayList<>();
    final List<Double> tool = new ArrayList<>();
    final List<Double> steps = new ArrayList<>();
    for (final Trajectory t : done) {
      total.add(Duration.between(t.getStartedAt(), t.getFinishedAt()).toMillis() / 1e3);
      llm.add(t.getSteps().stream().mapToDouble(TrajectoryStep::getLlmExecTime).sum());
      tool.add(t.getSteps().stream().mapToDouble(TrajectoryStep::getEnvExecTime).sum());
      steps.add((double) t.getSteps().size());
    }
    final double med = RolloutBenchmark.median(total);
    final double medLlm = RolloutBenchmark.median(llm);
    final double medTool = RolloutBenchmark.median(tool);
    return List.of(
        String.format("| **1. scripted LLM in the loop** (%d rollouts of %d tasks, %d at once, replies at once) | |",
            done.size(), tasks.size(), SCRIPTED_PARALLEL),
        String.format("| rollouts per hour | %.0f |", done.size() * 3600 / wall),
        String.format("| resolved | %d of %d |", resolved(done), done.size()),
        String.format("| steps per rollout (median) | %.0f |", RolloutBenchmark.median(steps)),
        String.format("| LLM request body, the conversation so far: median / largest | %s |", sizes),
        String.format("| rollout seconds, start to reward (median) | %.2f s |", med),
        String.format("| of which LLM time, sum of steps' llm_exec_time (median) | %.3f s (%.0f%%) |", medLlm,
            100 * medLlm / med),
        String.format("| of which tool time, sum of steps' env_exec_time (median) | %.3f s (%.0f%%) |", medTool,
            100 * medTool / med),
        String.format("| rest: container start/removal, output patch, reward container (median rollout) | %.2f s |",
            med - medLlm - medTool));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Part 2: 32 rollouts in flight in one worker, heap before and at peak.

  private static List<String> scale(final List<TaskInstance> tasks, final Path tmp) throws Exception {
    final String runId = "scale-" + UUID.randomUUID().toString().substring(0, 8);
    final CountDownLatch barrier = new CountDownLatch(SCALE);
    final ScriptedAgent agent = new ScriptedAgent(tasks, HOLD, barrier);
    final List<String> rows = new ArrayList<>();
    try (ScriptedLlmServer server = ScriptedLlmServer.start().otherwise(agent::reply);
         EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(tmp.resolve("kafka"), 0).start();
         Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      final String bootstrap = broker.bootstrapServers();
      final TopicSpec<RolloutRequest> requests = Topics.ROLLOUT_REQUESTS;
      TopicCreator.ensure(admin, Topics.all(), (short) 1);
      try (KafkaProducer<String, TaskInstance> p = producer(bootstrap, Topics.TASKS)) {
        tasks.forEach(t -> p.send(new ProducerRecord<>(Topics.TASKS.name(), t.getInstanceId(), t)));
      }
      final Map<String, Object> overrides = new HashMap<>();
      overrides.put(ConfigKeys.DATA_DIR, tmp.resolve("platform").toString());
      overrides.put(RolloutConfig.CONCURRENCY_CONFIG, String.valueOf(SCALE));
      overrides.put(ConfigKeys.LLM_MAX_CONCURRENCY, String.valueOf(SCALE));
      final PlatformConfig config = PlatformConfig.load(overrides);
      final RolloutConfig rollout = RolloutConfig.from(config.properties());
      final List<Trajectory> done = new ArrayList<>();
      try (RolloutWorkers workers = RolloutWorkers.start(config, bootstrap, REGISTRY, System.out::println)) {
        awaitMember(admin, rollout.groupId(), requests.partitions());
        final Heap.Snapshot idle = Heap.snapshot();
        System.out.printf("part 2: idle worker (concurrency %d), heap after GC %d MiB%n", rollout.concurrency(),
            idle.used() / MIB);

        final long t0 = System.nanoTime();
        final List<RolloutRequest> batch = new ArrayList<>();
        for (int i = 0; i < SCALE; i++) {
          batch.add(request(tasks.get(i % tasks.size()), runId, i, server.baseUrl()));
        }
        RolloutRequestPublisher.publish(bootstrap, REGISTRY, batch); // as `r2e rollout` publishes them
        int peakContainers = 0;
        double allStartedAfter = Double.NaN;
        double barrierOpenAfter = Double.NaN;
        int peakSamples = 0;
        long peakUsed = 0;
        long lowUsed = Long.MAX_VALUE;
        long peakBeforeGc = 0;
        Heap.Snapshot atPeak = null;
        final Map<String, Trajectory> trajectories = new LinkedHashMap<>();
        final long deadline = System.nanoTime() + SCALE_DEADLINE.toNanos();
        try (KafkaConsumer<String, byte[]> consumer = committedReader(bootstrap, Topics.TRAJECTORIES)) {
          final Deserializer<Trajectory> decode = R2eSerdes.valueSerde(Topics.TRAJECTORIES, REGISTRY).deserializer();
          while (trajectories.size() < SCALE) {
            if (System.nanoTime() > deadline) {
              throw new IllegalStateException("only " + trajectories.size() + " of " + SCALE
                  + " trajectories after " + SCALE_DEADLINE + "; peak in flight " + peakContainers);
            }
            for (final ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
              final Trajectory t = decode.deserialize(r.topic(), r.value());
              if (t.getRunId().equals(runId)) {
                trajectories.put(t.getRolloutId(), t);
              }
            }
            final double at = (System.nanoTime() - t0) / 1e9;
            peakBeforeGc = Math.max(peakBeforeGc, Heap.usedNow());
            final int running = runningRollouts(runId);
            peakContainers = Math.max(peakContainers, running);
            if (running == SCALE && Double.isNaN(allStartedAfter)) {
              allStartedAfter = at;
            }
            if (barrier.getCount() == 0 && Double.isNaN(barrierOpenAfter)) {
              barrierOpenAfter = at;
            }
            // All in flight, and past the barrier: the conversations hold more than the first prompt.
            if (running == SCALE && barrier.getCount() == 0) {
              final long used = Heap.usedAfterGc();
              System.out.printf("  %5.1f s: all %d in flight, heap after GC %.1f MiB (read after it: %.1f MiB)%n", at,
                  SCALE, used / (double) MIB, Heap.usedNow() / (double) MIB);
              peakSamples++;
              lowUsed = Math.min(lowUsed, used);
              if (used > peakUsed) {
                peakUsed = used;
                atPeak = Heap.snapshot(); // what the live heap is made of at the highest sample so far
              }
            }
          }
        }
        final double wall = (System.nanoTime() - t0) / 1e9;
        done.addAll(trajectories.values());
        // The worker idle again: what stays is warm-up (client buffers, pools, caches), not per-rollout state.
        final Heap.Snapshot after = Heap.snapshot();
        final long max = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
        final int leftover = runningRollouts(runId);
        if (peakSamples == 0) {
          throw new IllegalStateException("never saw all " + SCALE + " rollouts in flight; peak " + peakContainers);
        }
        rows.add(String.format("| **2. %d concurrent rollouts in one worker** (RolloutWorkers, concurrency %d, "
            + "embedded broker, same JVM, replies held %d s) | |", SCALE, rollout.concurrency(), HOLD.toSeconds()));
        rows.add(String.format("| request topic partitions (default) / r2e.llm.max-concurrency (default %d) | %d / %d |",
            LlmConfig.DEFAULT_MAX_CONCURRENCY, admin.describeTopics(List.of(requests.name())).allTopicNames().get()
                .get(requests.name()).partitions().size(), SCALE));
        rows.add(String.format("| peak rollouts in flight: running rollout containers / LLM calls held at once | "
            + "%d / %d |", peakContainers, server.maxInFlight()));
        rows.add(String.format("| time from publishing the %d requests to %d containers running | %.1f s |", SCALE,
            SCALE, allStartedAfter));
        rows.add(String.format("| time to the last rollout's first LLM call (barrier open) | %.1f s |",
            barrierOpenAfter));
        rows.add(String.format("| finished (trajectories on %s, read_committed) / resolved | %d / %d (%.0f s) |",
            Topics.TRAJECTORIES.name(), done.size(), resolved(done), wall));
        rows.add(String.format("| LLM request body, the conversation so far: median / largest | %s |",
            requestSizes(server)));
        rows.add(String.format("| max heap (-Xmx) | %d MiB |", max / MIB));
        rows.add(String.format("| (a) used heap after full GC: broker + idle worker | %.1f MiB |",
            idle.used() / (double) MIB));
        rows.add(String.format("| (b) used heap after full GC, all %d in flight (max of %d samples) | %.1f MiB |",
            SCALE, peakSamples, peakUsed / (double) MIB));
        rows.add(String.format("| (c) used heap after full GC, all finished, worker idle again | %.1f MiB |",
            after.used() / (double) MIB));
        rows.add(String.format("| heap per concurrent rollout, (b - a) / %d | %.0f KiB |", SCALE,
            (peakUsed - idle.used()) / (double) SCALE / 1024));
        rows.add(String.format("| of which held by the rollout while it runs, (b - c) / %d (the rest, c - a, is "
            + "the worker's one-off warm-up) | %.0f KiB |", SCALE, (peakUsed - after.used()) / (double) SCALE / 1024));
        // Against (a), not (c): the worker's warm-up is not over yet at the lowest sample, so (c) can be higher.
        rows.add(String.format("| lowest sample with all %d in flight (all waiting on the LLM: no command output "
            + "buffer open); (low - a) / %d per rollout | %.1f MiB; %.0f KiB |", SCALE, SCALE,
            lowUsed / (double) MIB, (lowUsed - idle.used()) / (double) SCALE / 1024));
        rows.add(String.format("| total used heap at peak vs limit (after GC; before GC, garbage included) | "
            + "%.0f MiB of %d MiB (%.0f%%); %d MiB |", peakUsed / (double) MIB, max / MIB, 100.0 * peakUsed / max,
            peakBeforeGc / MIB));
        rows.add(String.format("| rollout containers left after the run | %d |", leftover));
        if (atPeak != null) {
          rows.add("| live heap held by in-flight rollouts, by class (peak minus after the run), top 8 | |");
          final Heap.Snapshot peak = atPeak;
          atPeak.growthOver(after).entrySet().stream().limit(8).forEach(e -> rows.add(String.format(
              "| &nbsp;&nbsp;%s | %.0f KiB in %+d objects (%.0f KiB per rollout) |", e.getKey(), e.getValue() / 1024.0,
              peak.instances().getOrDefault(e.getKey(), 0L) - after.instances().getOrDefault(e.getKey(), 0L),
              e.getValue() / 1024.0 / SCALE)));
          rows.add(String.format("| G1 region size (an object of half a region or more is humongous: whole regions) "
              + "| %s |", Heap.regionSize()));
        }
      }
    } finally {
      InMemorySchemaRegistryClient.dropScope(REGISTRY_SCOPE);
    }
    return rows;
  }

  /** Waits until the worker's group is stable with every partition of the request topic assigned. */
  private static void awaitMember(final Admin admin, final String group, final int partitions) throws Exception {
    final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      final ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
      if (d.state() == ConsumerGroupState.STABLE && d.members().stream()
          .mapToInt(m -> m.assignment().topicPartitions().size()).sum() == partitions) {
        return;
      }
      Thread.sleep(200); // group membership has no event to wait on from outside
    }
    throw new IllegalStateException("rollout worker group " + group + " did not get its " + partitions
        + " partitions within 60 s");
  }

  /** Running agent containers of this run (RolloutRunner labels each with its rollout id). */
  private static int runningRollouts(final String runId) throws IOException, InterruptedException {
    final Process p = new ProcessBuilder("docker", "ps", "--filter", "label=" + ROLLOUT_LABEL, "--format",
        "{{.Label \"" + ROLLOUT_LABEL + "\"}}").redirectErrorStream(true).start();
    final String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (p.waitFor() != 0) {
      throw new IllegalStateException("docker ps failed: " + out);
    }
    return (int) out.lines().filter(l -> l.contains("/" + runId + "/")).count();
  }

  // ---------------------------------------------------------------------------------------------------------------

  private static RolloutRequest request(final TaskInstance task, final String runId, final int sample,
      final String baseUrl) {
    return RolloutRequest.newBuilder().setRolloutId(task.getInstanceId() + "/" + runId + "/" + sample)
        .setTaskId(task.getInstanceId()).setRunId(runId).setSample(sample).setModel(MODEL)
        .setAgentConfig(Map.of(AgentModels.BASE_URL, baseUrl)).setRequestedAt(Instant.now()).build();
  }

  /** Size of the conversations the model was sent: median and largest request body. */
  private static String requestSizes(final ScriptedLlmServer server) {
    final List<Double> kb = server.requests().stream().map(r -> r.body().length() / 1024.0).toList();
    return String.format("%.1f KB / %.1f KB", RolloutBenchmark.median(kb),
        kb.stream().mapToDouble(Double::doubleValue).max().orElse(0));
  }

  private static int resolved(final List<Trajectory> done) {
    return (int) done.stream().filter(t -> t.getReward() != null && t.getReward() == 1.0).count();
  }

  private static <T extends SpecificRecord> KafkaProducer<String, T> producer(final String bootstrap,
      final TopicSpec<T> topic) {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(),
        R2eSerdes.valueSerde(topic, REGISTRY).serializer());
  }

  private static KafkaConsumer<String, byte[]> committedReader(final String bootstrap, final TopicSpec<?> topic) {
    final KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "rollout-scale-read-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
        new ByteArrayDeserializer());
    c.subscribe(List.of(topic.name()));
    return c;
  }

  /**
   * The scripted agent: per task, view the touched file, one str_replace per gold hunk, run the tests, finish; each
   * reply a few KB of reasoning plus the call. With a barrier, a rollout's first call is answered only once
   * {@link #SCALE} first calls have arrived.
   */
  static final class ScriptedAgent {

    private static final String[] REASONING = {
      "The issue is about {task}, so the behaviour in question lives in {file} and I should read it before editing.",
      "I want to keep the change minimal: only the code path the issue describes, no refactoring around it.",
      "Edge cases matter here: empty input, a single element, Unicode text and values at the boundary of the limit.",
      "The existing tests exercise the public API, and the hidden tests will most likely do the same, so the fix "
          + "has to be visible through the functions the package exports rather than through a private helper.",
      "Looking at how the surrounding functions handle their arguments, the convention is to validate early and "
          + "return plain values, so the fix should follow the same style.",
      "After the edit I will run the test suite to make sure nothing else regressed; a failure there would point at "
          + "an assumption in {file} that I have not understood yet.",
      "If the change touches parsing, the order of the checks is important: the first match wins, so the most "
          + "specific case has to come first.",
      "I will not edit any test file: the task says the tests that check the fix exist elsewhere.",
    };

    private final Map<String, List<String>> callsByStatement = new LinkedHashMap<>();
    private final Map<String, String> fileByStatement = new HashMap<>();
    private final Duration delay;
    private final CountDownLatch barrier;

    ScriptedAgent(final List<TaskInstance> tasks, final Duration delay, final CountDownLatch barrier) {
      this.delay = delay;
      this.barrier = barrier;
      for (final TaskInstance t : tasks) {
        final String workdir = t.getEnvironment().getWorkdir();
        // The gold patch as the oracle replays it: one file_editor call per hunk.
        final List<Action> edits = OracleModel.plan(t.getPatch(), workdir);
        if (edits.isEmpty()) {
          throw new IllegalArgumentException("task " + t.getInstanceId() + " has a gold patch without hunks");
        }
        final String firstFile = edits.stream().filter(e -> "str_replace".equals(e.parameter("command")))
            .map(e -> e.parameter("path")).findFirst().orElse(workdir);
        final List<String> calls = new ArrayList<>();
        calls.add(call("file_editor", "command", "view", "path", firstFile));
        edits.forEach(e -> calls.add(e.toXml()));
        calls.add(call("execute_bash", "cmd", "cd " + workdir + " && python -m pytest -q 2>&1 | tail -n 30"));
        calls.add(call("finish", "command", "submit"));
        if (callsByStatement.put(t.getProblemStatement(), calls) != null) {
          throw new IllegalArgumentException("two tasks share the problem statement of " + t.getInstanceId());
        }
        fileByStatement.put(t.getProblemStatement(), firstFile);
      }
    }

    ScriptedReply reply(final RecordedRequest request) {
      final var messages = request.json().path("messages");
      String firstUser = "";
      int assistant = 0;
      for (final var m : messages) {
        final String role = m.path("role").asText();
        if (role.equals("user") && firstUser.isEmpty()) {
          firstUser = m.path("content").asText();
        } else if (role.equals("assistant")) {
          assistant++;
        }
      }
      String statement = null;
      for (final String s : callsByStatement.keySet()) {
        if (firstUser.contains(s) && (statement == null || s.length() > statement.length())) {
          statement = s;
        }
      }
      if (statement == null) {
        return ScriptedReply.error(400, "scripted agent: no task's problem statement in the first user message");
      }
      final List<String> calls = callsByStatement.get(statement);
      final String call = calls.get(Math.min(assistant, calls.size() - 1));
      final String content = thought(statement, fileByStatement.get(statement), assistant) + "\n\n" + call;
      ScriptedReply reply = ScriptedReply.completion(content)
          .usage(request.body().length() / 4, content.length() / 4).delayed(delay);
      if (barrier != null && assistant == 0) {
        barrier.countDown();
        reply = reply.heldUntil(barrier);
      }
      return reply;
    }

    private static String thought(final String statement, final String file, final int step) {
      final String task = statement.lines().findFirst().orElse("the issue");
      final StringBuilder sb = new StringBuilder("Step ").append(step + 1).append(". ");
      for (int i = step; sb.length() < THOUGHT_CHARS; i++) {
        sb.append(REASONING[i % REASONING.length].replace("{task}", task).replace("{file}", file)).append(' ');
        if (i % 3 == 2) {
          sb.append("\n\n");
        }
      }
      return sb.toString().strip();
    }

    private static String call(final String function, final String... params) {
      final StringBuilder sb = new StringBuilder("<function=").append(function).append(">\n");
      for (int i = 0; i < params.length; i += 2) {
        sb.append("<parameter=").append(params[i]).append('>').append(params[i + 1]).append("</parameter>\n");
      }
      return sb.append("</function>").toString();
    }
  }

  /** Used heap after a forced full GC, and live objects by class (the JVM's GC.class_histogram). */
  static final class Heap {

    private Heap() {
    }

    /** Used heap right after a full GC, and live bytes per class. */
    record Snapshot(long used, Map<String, Long> bytesByClass, Map<String, Long> instances) {

      /** Classes by bytes grown from {@code before} to this snapshot, largest first. */
      Map<String, Long> growthOver(final Snapshot before) {
        final Map<String, Long> out = new LinkedHashMap<>();
        bytesByClass.entrySet().stream()
            .map(e -> Map.entry(e.getKey(), e.getValue() - before.bytesByClass().getOrDefault(e.getKey(), 0L)))
            .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
            .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
      }
    }

    /**
     * Forces a full GC and returns the heap pools' usage as that collection left it (MemoryPoolMXBean collection
     * usage): live data only. The heap's current usage read a moment later also counts what the application's
     * threads allocated since (fresh TLABs), which at 32 busy rollouts is several MiB of noise.
     */
    static long usedAfterGc() {
      System.gc();
      long used = 0;
      for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
          used += pool.getCollectionUsage().getUsed();
        }
      }
      return used;
    }

    /** The heap's usage right now, garbage included. */
    static long usedNow() {
      return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Used heap after GC and a class histogram of live objects (which forces another full GC itself). */
    static Snapshot snapshot() throws Exception {
      final long used = usedAfterGc();
      final String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
          new Object[] {new String[0]}, new String[] {String[].class.getName()});
      final Map<String, Long> bytes = new HashMap<>();
      final Map<String, Long> instances = new HashMap<>();
      for (final String line : histogram.split("\n")) {
        // "   1:        123456       7890123  [B (java.base@17.0.15)"
        final String[] f = line.trim().split("\\s+");
        if (f.length >= 4 && f[0].endsWith(":")) {
          bytes.merge(f[3], Long.parseLong(f[2]), Long::sum);
          instances.merge(f[3], Long.parseLong(f[1]), Long::sum);
        }
      }
      return new Snapshot(used, bytes, instances);
    }

    /** G1's heap region size, or "n/a" under another collector. */
    static String regionSize() {
      try {
        final var hotspot = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
        return Long.parseLong(hotspot.getVMOption("G1HeapRegionSize").getValue()) / 1024 + " KiB";
      } catch (IllegalArgumentException e) {
        return "n/a";
      }
    }
  }
}
