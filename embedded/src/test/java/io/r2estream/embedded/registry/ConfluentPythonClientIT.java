package io.r2estream.embedded.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.r2estream.avro.CommitEvent;
import io.r2estream.embedded.KafkaBrokerExtension;
import io.r2estream.registry.RestSchemaRegistryClient;
import io.r2estream.serde.AvroDeserializer;
import io.r2estream.serde.AvroSerializer;
import io.r2estream.serde.Subjects;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance with Confluent's own client: Debian's python3-confluent-kafka {@code AvroConsumer}/{@code AvroProducer}
 * (with its CachedSchemaRegistryClient) read what our serializer wrote through our registry, and write what our
 * deserializer reads. CI installs python3-confluent-kafka, python3-avro and python3-requests; without them this
 * test fails rather than skips.
 */
class ConfluentPythonClientIT {

  static final String PYTHON = "/usr/bin/python3";
  static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(120);
  static final int RECORDS = 6;
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  @TempDir
  static Path dir;
  static EmbeddedSchemaRegistry registry;
  static RestSchemaRegistryClient client;

  @BeforeAll
  static void start() throws Exception {
    requireConfluentPythonClient();
    registry = EmbeddedSchemaRegistry.start(KAFKA.bootstrapServers(), 0);
    client = new RestSchemaRegistryClient(registry.url(), Map.of());
    try (Admin admin = KAFKA.admin()) {
      admin.createTopics(List.of(new NewTopic("py.from-java", 3, (short) 1), new NewTopic("py.from-python", 3, (short) 1)))
          .all().get(30, TimeUnit.SECONDS);
    }
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void confluentAvroConsumerDecodesWhatOurSerializerWrote() throws Exception {
    final String topic = "py.from-java";
    final List<CommitEvent> sent = IntStream.range(0, RECORDS).mapToObj(SampleCommits::commit).toList();
    final AvroSerializer<CommitEvent> values = new AvroSerializer<>(client, false, true);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
      for (final CommitEvent c : sent) {
        producer.send(new ProducerRecord<>(topic, ConfluentStringKeys.serialize(client, topic, SampleCommits.key(c)),
            values.serialize(topic, c))).get(30, TimeUnit.SECONDS);
      }
    }

    final List<String> lines = runPython(null, "confluent_avro_consume.py", "--bootstrap", KAFKA.bootstrapServers(),
        "--registry", registry.url(), "--topic", topic, "--group", "py-acceptance", "--count", Integer.toString(RECORDS));

    final Map<Object, Object> decoded = new LinkedHashMap<>();
    for (final String line : lines) {
      final Map<?, ?> record = JSON.readValue(line, Map.class);
      decoded.put(record.get("key"), record.get("value"));
    }
    final Map<Object, Object> expected = sent.stream().collect(Collectors.toMap(SampleCommits::key, c -> plain(c)));
    assertEquals(RECORDS, lines.size(), "one line per record: " + lines);
    assertEquals(expected, decoded, "Confluent's AvroConsumer sees exactly the keys and values we wrote");
  }

  @Test
  void ourDeserializerDecodesWhatConfluentAvroProducerWrote() throws Exception {
    final String topic = "py.from-python";
    final List<CommitEvent> sent = IntStream.range(100, 100 + RECORDS).mapToObj(SampleCommits::commit).toList();
    final Path schemaFile = Files.writeString(dir.resolve("CommitEvent.avsc"), CommitEvent.getClassSchema().toString());
    final StringBuilder input = new StringBuilder();
    for (final CommitEvent c : sent) {
      input.append(JSON.writeValueAsString(Map.of("key", SampleCommits.key(c), "value", plain(c)))).append('\n');
    }

    final List<String> out = runPython(input.toString(), "confluent_avro_produce.py", "--bootstrap",
        KAFKA.bootstrapServers(), "--registry", registry.url(), "--topic", topic,
        "--value-schema-file", schemaFile.toString());
    assertEquals(List.of("{\"produced\": " + RECORDS + "}"), out);

    final Map<String, CommitEvent> received = new LinkedHashMap<>();
    final AvroDeserializer<CommitEvent> values = new AvroDeserializer<>(CommitEvent.class, client);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, "java-acceptance",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (received.size() < RECORDS && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r ->
            received.put(ConfluentStringKeys.deserialize(client, r.key()), values.deserialize(topic, r.value())));
      }
    }
    assertEquals(sent.stream().collect(Collectors.toMap(SampleCommits::key, c -> c)), received);
    assertEquals(List.of(1), client.versions(Subjects.of(topic, false)), "the Python client registered the value schema");
    assertEquals(CommitEvent.getClassSchema(), client.latest(Subjects.of(topic, false)).orElseThrow().schema(),
        "the schema text Confluent's client sent parses to our schema");
  }

  /** A record as the Python Avro library shows it: dicts and lists, unions unwrapped, enums as symbols, millis. */
  static Object plain(final Object value) {
    if (value instanceof IndexedRecord r) {
      final Map<String, Object> m = new LinkedHashMap<>();
      for (final Schema.Field f : r.getSchema().getFields()) {
        m.put(f.name(), plain(r.get(f.pos())));
      }
      return m;
    }
    if (value instanceof Collection<?> c) {
      return c.stream().map(ConfluentPythonClientIT::plain).toList();
    }
    if (value instanceof Instant i) {
      return i.toEpochMilli();
    }
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).longValue();
    }
    if (value instanceof CharSequence || value instanceof Enum<?>) {
      return value.toString();
    }
    return value;
  }

  static void requireConfluentPythonClient() throws Exception {
    if (!Files.isExecutable(Path.of(PYTHON))) {
      fail(PYTHON + " is missing: install Debian's python3 with python3-confluent-kafka python3-avro python3-requests");
    }
    final Process p = new ProcessBuilder(PYTHON, "-c", "import confluent_kafka.avro, avro, requests")
        .redirectErrorStream(true).start();
    final String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      fail(PYTHON + " cannot import confluent_kafka.avro (apt-get install python3-confluent-kafka python3-avro "
          + "python3-requests): " + output.strip());
    }
  }

  /** Runs a script of src/test/python with a timeout; returns its stdout lines, fails with its stderr. */
  static List<String> runPython(final String stdin, final String script, final String... args) throws Exception {
    final Path scriptPath = Path.of(System.getProperty("basedir", "."), "src", "test", "python", script);
    final List<String> command = new ArrayList<>(List.of(PYTHON, scriptPath.toString()));
    command.addAll(List.of(args));
    final Path out = Files.createTempFile(dir, script, ".out");
    final Path err = Files.createTempFile(dir, script, ".err");
    final ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    if (stdin != null) {
      pb.redirectInput(Files.writeString(Files.createTempFile(dir, script, ".in"), stdin).toFile());
    }
    final Process p = pb.start();
    if (!p.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(script + " did not finish within " + SCRIPT_TIMEOUT + "; stderr: " + read(err));
    }
    if (p.exitValue() != 0) {
      fail(script + " exited with " + p.exitValue() + "; stderr: " + read(err) + "; stdout: " + read(out));
    }
    return Files.readAllLines(out, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
  }

  private static String read(final Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8).strip();
  }
}
