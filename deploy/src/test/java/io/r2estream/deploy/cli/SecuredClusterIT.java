package io.r2estream.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.r2estream.avro.EditStats;
import io.r2estream.avro.EnvCandidate;
import io.r2estream.avro.EnvValidation;
import io.r2estream.avro.TestRun;
import io.r2estream.avro.ValidationStatus;
import io.r2estream.config.ConfigKeys;
import io.r2estream.config.KafkaClientConfig;
import io.r2estream.deploy.platform.EmbeddedPlatform;
import io.r2estream.deploy.platform.TestPlatforms;
import io.r2estream.embedded.EmbeddedKafkaBroker;
import io.r2estream.producers.commits.CommitRange;
import io.r2estream.producers.commits.RepositorySource;
import io.r2estream.producers.tasks.TaskTopicReader;
import io.r2estream.serde.R2eSerdes;
import io.r2estream.streams.tasks.TaskAssemblyTopology;
import io.r2estream.testkit.llm.RecordedRequest;
import io.r2estream.testkit.llm.ScriptedLlmServer;
import io.r2estream.testkit.llm.ScriptedReply;
import io.r2estream.topics.TopicCreator;
import io.r2estream.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The platform against a cluster that only accepts SASL/PLAIN clients, reached through nothing but the
 * {@code r2e.kafka.client.*} pass-through settings: topic creation, the schema registry's store, the Connect worker,
 * the stream topologies, the back-translator, the CLI's ingest producer and funnel consumer all work; the same pieces
 * without the settings fail within a bounded time. The run also proves that neither the LLM API key nor the SASL
 * password ends up in any topic or log line.
 */
class SecuredClusterIT {

  private static final String USER = "r2e-platform";
  /** Distinctive secrets: any occurrence in a topic or a log line is a leak. */
  private static final String PASSWORD = "sasl-pw-LEAKCHECK-" + UUID.randomUUID();
  private static final String API_KEY = "sk-r2e-LEAKCHECK-" + UUID.randomUUID();
  private static final Duration FAIL_WITHIN = Duration.ofSeconds(45);

  @TempDir
  static Path dir;
  private static EmbeddedKafkaBroker broker;

  @BeforeAll
  static void securedBroker() {
    broker = new EmbeddedKafkaBroker(dir.resolve("kafka"), 0)
        .withSaslPlainListener(0, Map.of(USER, PASSWORD, "someone-else", "other-password")).start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  /** The pass-through settings of a SASL/PLAIN cluster, as a user writes them in application.yml or with -D. */
  private static Map<String, Object> securitySettings() {
    return Map.of(
        ConfigKeys.KAFKA_CLIENT_PREFIX + "security.protocol", "SASL_PLAINTEXT",
        ConfigKeys.KAFKA_CLIENT_PREFIX + "sasl.mechanism", "PLAIN",
        ConfigKeys.KAFKA_CLIENT_PREFIX + "sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + USER + "\" password=\""
            + PASSWORD + "\";");
  }

  @Test
  void thePlatformRunsOnTheSaslListenerWithThePassThroughSettingsAndLeaksNoSecret() throws Exception {
    final ListAppender<ILoggingEvent> logs = captureAllLogs();
    try (ScriptedLlmServer llm = ScriptedLlmServer.start()) {
      llm.otherwise(r -> ScriptedReply.completion("[ISSUE]\nTitle: durations add up\n[/ISSUE]"));
      final Map<String, Object> extra = new HashMap<>(securitySettings());
      extra.put(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS, broker.saslBootstrapServers());
      extra.put(ConfigKeys.LLM_BASE_URL, llm.baseUrl());
      extra.put(ConfigKeys.LLM_MODEL, "scripted-model");
      extra.put(ConfigKeys.LLM_API_KEY, API_KEY);
      // The dashboard too: its reader and offset poller must reach the secured cluster, and it binds to loopback.
      extra.put(io.r2estream.dashboard.DashboardConfig.ENABLED, true);
      extra.put(io.r2estream.dashboard.DashboardConfig.PORT, io.r2estream.embedded.Ports.free());
      // Connect stays on: its worker must reach the secured cluster too.
      try (EmbeddedPlatform platform = EmbeddedPlatform.start(TestPlatforms.config(dir.resolve("platform"), extra),
          l -> { })) {
        assertEquals(broker.saslBootstrapServers(), platform.bootstrapServers());
        final Map<String, Object> client = platform.kafkaClient();
        assertEquals("SASL_PLAINTEXT", client.get("security.protocol"));

        // CLI ingest (producer) -> env-generation topology (Streams) -> funnel (consumer)
        final Path repo = SampleProject.materialize(dir.resolve("sample"));
        final IngestRun.Result ingest = IngestRun.run(RepositorySource.local(repo).withId("sample/textkit"),
            CommitRange.head(), client, platform.registryUrl());
        final Funnel funnel = FunnelCollector.collect(client, platform.registryUrl(), ingest.keys(),
            Duration.ofMinutes(2), n -> { });
        assertEquals(24, ingest.keys().size());
        assertTrue(funnel.undecided().isEmpty(), "undecided: " + funnel.undecided());
        assertEquals(24, funnel.candidates().size() + funnel.rejections().size());
        // The dashboard read the same 24 commits through its own SASL clients.
        final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        final java.net.URI overview = java.net.URI.create(platform.endpoints().get("dashboard") + "api/overview");
        Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() ->
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(http.send(
                java.net.http.HttpRequest.newBuilder(overview).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body()).path("funnel").path("commits").asLong()
                == 24);

        // A validation -> the back-translator calls the LLM with the key -> a problem statement
        final String task = "sample/textkit@leakcheck";
        try (KafkaProducer<String, EnvValidation> producer = new KafkaProducer<>(client, new StringSerializer(),
            R2eSerdes.valueSerde(Topics.ENV_VALIDATIONS, platform.registryUrl()).serializer())) {
          producer.send(new ProducerRecord<>(Topics.ENV_VALIDATIONS.name(), task, validation(task))).get();
        }
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
            .until(() -> TaskTopicReader.latest(client, platform.registryUrl(), Topics.PROBLEM_STATEMENTS,
                ConsumerRecord::key).containsKey(task));
        final List<RecordedRequest> calls = llm.requests();
        assertFalse(calls.isEmpty(), "the back-translator called the LLM");
        assertEquals("Bearer " + API_KEY, calls.get(0).header("Authorization"), "the server did receive the key");

        assertHttpServersListenOnLoopbackOnly(platform.endpoints());

        final List<String> leaks = new ArrayList<>();
        final int[] records = {0};
        final byte[] control = task.getBytes(StandardCharsets.UTF_8);
        final boolean[] controlSeen = {false};
        forEveryRecordOfEveryTopic(client, (where, bytes) -> {
          records[0]++;
          controlSeen[0] |= contains(bytes, control);
          for (final String secret : List.of(API_KEY, PASSWORD)) {
            if (contains(bytes, secret.getBytes(StandardCharsets.UTF_8))) {
              leaks.add(secret.equals(API_KEY) ? "API key in " + where : "SASL password in " + where);
            }
          }
        });
        assertTrue(records[0] > 48, "read the flow's records, got only " + records[0]);
        assertTrue(controlSeen[0], "the scan sees record contents: the task id " + task + " was found");
        assertEquals(List.of(), leaks);
      }
    } finally {
      stopCapturing(logs);
    }
    final List<String> logLeaks = new ArrayList<>();
    for (final ILoggingEvent e : logs.list) {
      final String text = render(e);
      for (final String secret : List.of(API_KEY, PASSWORD)) {
        if (text.contains(secret)) {
          logLeaks.add(e.getLoggerName() + ": " + text.replace(secret, "<SECRET>"));
        }
      }
    }
    assertTrue(logs.list.size() > 100, "captured the run's log, got only " + logs.list.size() + " events");
    assertTrue(logs.list.stream().anyMatch(e -> render(e).contains("sasl.jaas.config = [hidden]")),
        "the Kafka client configurations were in the captured log");
    assertEquals(List.of(), logLeaks);
  }

  @Test
  void withoutThePassThroughSettingsTheSamePiecesCannotConnect() {
    final Map<String, Object> plain = KafkaClientConfig.of(broker.saslBootstrapServers(), Map.of());
    assertFalse(plain.containsKey("security.protocol"));
    assertTimeoutPreemptively(FAIL_WITHIN, () -> {
      // topic creation through an admin
      final Map<String, Object> a = new HashMap<>(plain);
      a.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
      a.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
      try (Admin admin = Admin.create(a)) {
        assertThrows(RuntimeException.class, () -> TopicCreator.ensure(admin, Topics.all(), (short) 1));
      }
      // a producer
      final Map<String, Object> p = new HashMap<>(plain);
      p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
          new ByteArraySerializer())) {
        assertThrows(Exception.class, () -> producer.send(new ProducerRecord<>(Topics.COMMITS.name(),
            new byte[] {1})).get(10, TimeUnit.SECONDS));
      }
      // a consumer
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(plain, new ByteArrayDeserializer(),
          new ByteArrayDeserializer())) {
        assertThrows(org.apache.kafka.common.errors.TimeoutException.class,
            () -> consumer.partitionsFor(Topics.COMMITS.name(), Duration.ofSeconds(5)));
      }
    });
    // a Kafka Streams topology of the platform: never gets to RUNNING
    final String registry = "mock://secured-cluster-it";
    final java.util.Properties props = TaskAssemblyTopology.streamsConfig(broker.saslBootstrapServers(),
        "secured-it-" + UUID.randomUUID(), registry, dir.resolve("streams-plain"));
    final AtomicReference<KafkaStreams.State> state = new AtomicReference<>(KafkaStreams.State.CREATED);
    try (KafkaStreams streams = new KafkaStreams(TaskAssemblyTopology.build(
        R2eSerdes.valueSerde(Topics.ENV_VALIDATIONS, registry), R2eSerdes.valueSerde(Topics.PROBLEM_STATEMENTS,
            registry), R2eSerdes.valueSerde(Topics.TASKS, registry),
        R2eSerdes.valueSerde(Topics.dlqOf(Topics.ENV_VALIDATIONS), registry)), props)) {
      streams.setStateListener((now, before) -> state.set(now));
      streams.start();
      Awaitility.await().during(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(20))
          .until(() -> state.get() != KafkaStreams.State.RUNNING);
      streams.close(Duration.ofSeconds(10));
    }
  }

  /**
   * Every HTTP endpoint the platform started answers on 127.0.0.1 and refuses connections on this machine's other
   * addresses (they have no authentication).
   */
  private static void assertHttpServersListenOnLoopbackOnly(final Map<String, String> endpoints) throws Exception {
    final List<java.net.InetAddress> external = new ArrayList<>();
    for (final java.net.NetworkInterface nic : java.util.Collections.list(
        java.net.NetworkInterface.getNetworkInterfaces())) {
      nic.inetAddresses().filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress())
          .forEach(external::add);
    }
    assertFalse(external.isEmpty(), "this check needs a non-loopback IPv4 address on the machine");
    final List<String> checked = new ArrayList<>();
    for (final Map.Entry<String, String> e : endpoints.entrySet()) {
      if (!e.getValue().startsWith("http")) {
        continue;
      }
      final int port = java.net.URI.create(e.getValue()).getPort();
      try (java.net.Socket s = new java.net.Socket()) {
        s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 2_000);
      }
      for (final java.net.InetAddress a : external) {
        assertThrows(java.io.IOException.class, () -> {
          try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(a, port), 2_000);
          }
        }, e.getKey() + " must not listen on " + a.getHostAddress() + ":" + port);
      }
      checked.add(e.getKey());
    }
    assertEquals(Set.of("metrics", "schema registry", "kafka connect", "rankings", "dashboard", "http api"),
        Set.copyOf(checked));
  }

  private static EnvValidation validation(final String taskId) {
    final Instant at = Instant.parse("2025-01-02T03:04:05Z");
    final EnvCandidate candidate = EnvCandidate.newBuilder().setTaskId(taskId).setRepository("sample/textkit")
        .setCommitSha("c0ffee").setParentSha("decade").setCommitMessage("Add up every unit in parse_duration")
        .setCommitTime(at).setCodePatch("diff --git a/x.py b/x.py\n").setTestPatch("diff --git a/t.py b/t.py\n")
        .setStats(EditStats.newBuilder().build()).setSelectedAt(at).build();
    final TestRun old = TestRun.newBuilder().setExitCode(1).setDurationMs(30).setLogTail("FAILED t.py::test_x")
        .setLabel("parent#1").setSuiteRan(true).build();
    final TestRun now = TestRun.newBuilder().setExitCode(0).setDurationMs(30).setLogTail("1 passed")
        .setLabel("commit#1").setSuiteRan(true).build();
    return EnvValidation.newBuilder().setTaskId(taskId).setRepository("sample/textkit").setCommitSha("c0ffee")
        .setStatus(ValidationStatus.NEW_COMMIT_BETTER).setFailToPass(List.of("t.py::test_x")).setCandidate(candidate)
        .setOldRuns(List.of(old)).setNewRuns(List.of(now)).setValidatedAt(at).build();
  }

  /** Every record of every topic, internal ones included, aborted transactions included: key, value, headers. */
  private static void forEveryRecordOfEveryTopic(final Map<String, Object> client,
      final java.util.function.BiConsumer<String, byte[]> visit) throws Exception {
    final List<TopicPartition> partitions = new ArrayList<>();
    try (Admin admin = Admin.create(client)) {
      final Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names()
          .get(30, TimeUnit.SECONDS);
      for (final TopicDescription d : admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS)
          .values()) {
        d.partitions().forEach(p -> partitions.add(new TopicPartition(d.name(), p.partition())));
      }
    }
    final Map<String, Object> c = new HashMap<>(client);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      final long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        assertTrue(System.nanoTime() < deadline, "reading every topic took more than 2 minutes");
        for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          final String where = r.topic() + "-" + r.partition() + "@" + r.offset();
          visit.accept(where + " key", r.key() == null ? new byte[0] : r.key());
          visit.accept(where + " value", r.value() == null ? new byte[0] : r.value());
          for (final Header h : r.headers()) {
            visit.accept(where + " header " + h.key(), h.value() == null ? new byte[0] : h.value());
          }
        }
      }
    }
  }

  private static boolean contains(final byte[] haystack, final byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** Root at INFO and ours at DEBUG for the run, so that Kafka's config dumps and our own details are captured. */
  private static ListAppender<ILoggingEvent> captureAllLogs() {
    final LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.setContext(ctx);
    appender.start();
    final Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(appender);
    root.setLevel(Level.INFO);
    ctx.getLogger("io.r2estream").setLevel(Level.DEBUG);
    return appender;
  }

  private static void stopCapturing(final ListAppender<ILoggingEvent> appender) {
    final LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    final Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAppender(appender);
    root.setLevel(Level.WARN);
    ctx.getLogger("io.r2estream").setLevel(Level.INFO);
    appender.stop();
  }

  /** The message with its arguments, the exception chain and the MDC: all a log file would show. */
  private static String render(final ILoggingEvent e) {
    final StringBuilder s = new StringBuilder(e.getFormattedMessage() == null ? "" : e.getFormattedMessage());
    e.getMDCPropertyMap().forEach((k, v) -> s.append(' ').append(k).append('=').append(v));
    for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
      s.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
    }
    return s.toString();
  }
}
