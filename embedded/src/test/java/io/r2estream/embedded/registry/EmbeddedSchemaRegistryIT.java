package io.r2estream.embedded.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.r2estream.avro.CommitEvent;
import io.r2estream.avro.CommitRejection;
import io.r2estream.embedded.KafkaBrokerExtension;
import io.r2estream.registry.CompatibilityLevel;
import io.r2estream.registry.RestSchemaRegistryClient;
import io.r2estream.registry.SchemaRegistryClient;
import io.r2estream.registry.SchemaRegistryClients;
import io.r2estream.registry.SchemaRegistryException;
import io.r2estream.serde.AvroSerde;
import io.r2estream.serde.Subjects;
import io.r2estream.topics.Topics;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The REST client against the real server, over a real broker: the API serializers and tools rely on. */
class EmbeddedSchemaRegistryIT {

  static final String RECORD_V1 = "{\"type\":\"record\",\"name\":\"Probe\",\"namespace\":\"it\",\"fields\":"
      + "[{\"name\":\"a\",\"type\":\"string\"}]}";
  static final String RECORD_V2_DEFAULT = "{\"type\":\"record\",\"name\":\"Probe\",\"namespace\":\"it\",\"fields\":"
      + "[{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"long\",\"default\":7}]}";
  static final String RECORD_V2_NO_DEFAULT = "{\"type\":\"record\",\"name\":\"Probe\",\"namespace\":\"it\",\"fields\":"
      + "[{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"c\",\"type\":\"long\"}]}";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  static EmbeddedSchemaRegistry registry;
  static RestSchemaRegistryClient client;

  @BeforeAll
  static void start() throws Exception {
    registry = EmbeddedSchemaRegistry.start(KAFKA.bootstrapServers(), 0);
    client = new RestSchemaRegistryClient(registry.url(), Map.of());
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  static Schema schema(final String text) {
    return new Schema.Parser().parse(text);
  }

  static HttpResponse<String> call(final String method, final String path, final String contentType,
      final String body) throws Exception {
    final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(registry.url() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String schemaBody(final String schema) throws Exception {
    return JSON.writeValueAsString(Map.of("schema", schema));
  }

  @Test
  void registerLookupAndVersions() throws Exception {
    final String subject = "it.versions-value";
    final Schema v1 = schema(RECORD_V1.replace("Probe", "Versioned"));
    final Schema v2 = schema(RECORD_V2_DEFAULT.replace("Probe", "Versioned"));
    final int id1 = client.register(subject, v1);
    final int id2 = client.register(subject, v2);
    assertTrue(id2 > id1);
    assertEquals(id1, new RestSchemaRegistryClient(registry.url(), Map.of()).register(subject, v1),
        "registering an existing schema from a cold client returns its id and adds no version");
    assertEquals(List.of(1, 2), client.versions(subject));
    assertEquals(Optional.of(id1), new RestSchemaRegistryClient(registry.url(), Map.of()).idOf(subject, v1));
    assertEquals(new SchemaRegistryClient.SubjectSchema(subject, 2, id2, v2), client.latest(subject).orElseThrow());
    assertEquals(id1, client.version(subject, 1).orElseThrow().id());
    assertEquals(v2, new RestSchemaRegistryClient(registry.url(), Map.of()).getById(id2));
    assertTrue(client.subjects().contains(subject));

    final HttpResponse<String> raw = call("GET", "/subjects/" + subject + "/versions/2/schema", null, null);
    assertEquals(v2, schema(raw.body()));
    assertEquals("application/vnd.schemaregistry.v1+json", raw.headers().firstValue("Content-Type").orElseThrow());
    assertEquals(JSON.readTree("[{\"subject\":\"" + subject + "\",\"version\":1}]"),
        JSON.readTree(call("GET", "/schemas/ids/" + id1 + "/versions", null, null).body()));
    assertEquals(JSON.readTree("[\"AVRO\"]"), JSON.readTree(call("GET", "/schemas/types", null, null).body()));
    assertEquals(JSON.readTree("{}"), JSON.readTree(call("GET", "/", null, null).body()));
  }

  @Test
  void sameSchemaUnderTwoSubjectsGetsTheSameId() {
    final Schema s = schema(RECORD_V1.replace("Probe", "Shared"));
    final int a = client.register("it.shared-a-value", s);
    final int b = client.register("it.shared-b-value", s);
    assertEquals(a, b);
    assertEquals(1, client.latest("it.shared-b-value").orElseThrow().version());
  }

  @Test
  void incompatibleChangeIsRefusedWith409UnderBackwardAndAllowedUnderNone() throws Exception {
    final String subject = "it.compat-value";
    client.register(subject, schema(RECORD_V1));
    assertFalse(client.isCompatible(subject, schema(RECORD_V2_NO_DEFAULT)));
    assertTrue(client.isCompatible(subject, schema(RECORD_V2_DEFAULT)));
    assertTrue(client.isCompatible("it.no-such-subject", schema(RECORD_V2_NO_DEFAULT)));

    final HttpResponse<String> raw = call("POST", "/subjects/" + subject + "/versions",
        "application/vnd.schemaregistry.v1+json", schemaBody(RECORD_V2_NO_DEFAULT));
    assertEquals(409, raw.statusCode());
    assertEquals(409, JSON.readTree(raw.body()).get("error_code").asInt());
    final SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
        () -> client.register(subject, schema(RECORD_V2_NO_DEFAULT)));
    assertEquals(409, e.httpStatus());
    assertEquals(409, e.errorCode());
    final JsonNode verbose = JSON.readTree(call("POST", "/compatibility/subjects/" + subject + "/versions/latest?verbose=true",
        "application/json", schemaBody(RECORD_V2_NO_DEFAULT)).body());
    assertFalse(verbose.get("is_compatible").asBoolean());
    assertTrue(verbose.get("messages").toString().contains("READER_FIELD_MISSING_DEFAULT_VALUE"), verbose.toString());

    client.setCompatibility(subject, CompatibilityLevel.NONE);
    assertEquals("NONE", JSON.readTree(call("GET", "/config/" + subject, null, null).body())
        .get("compatibilityLevel").asText());
    assertEquals("BACKWARD", JSON.readTree(call("GET", "/config", null, null).body()).get("compatibilityLevel").asText());
    final int id = client.register(subject, schema(RECORD_V2_NO_DEFAULT));
    assertEquals(id, client.latest(subject).orElseThrow().id());
  }

  @Test
  void errorsCarryConfluentCodes() throws Exception {
    final SchemaRegistryException unknownId = assertThrows(SchemaRegistryException.class, () -> client.getById(987654));
    assertEquals(404, unknownId.httpStatus());
    assertEquals(40403, unknownId.errorCode());
    assertEquals(Optional.empty(), client.version("it.none-value", 1));
    assertEquals(Optional.empty(), client.idOf("it.none-value", schema(RECORD_V1)));
    assertEquals(List.of(), client.versions("it.none-value"));
    final JsonNode subjectMissing = JSON.readTree(call("GET", "/subjects/it.none-value/versions", null, null).body());
    assertEquals(40401, subjectMissing.get("error_code").asInt());
    assertEquals("Subject 'it.none-value' not found.", subjectMissing.get("message").asText());
    client.register("it.errors-value", schema(RECORD_V1));
    assertEquals(40402, JSON.readTree(call("GET", "/subjects/it.errors-value/versions/5", null, null).body())
        .get("error_code").asInt());
    final HttpResponse<String> invalid = call("POST", "/subjects/it.errors-value/versions", "application/json",
        schemaBody("{\"type\":\"record\",\"name\":\"X\",\"fields\":[{\"name\":\"f\",\"type\":\"nosuchtype\"}]}"));
    assertEquals(422, invalid.statusCode());
    assertEquals(42201, JSON.readTree(invalid.body()).get("error_code").asInt());
  }

  @Test
  void everyRegistryContentTypeIsAccepted() throws Exception {
    for (final String type : List.of("application/vnd.schemaregistry.v1+json", "application/vnd.schemaregistry+json",
        "application/json", "application/octet-stream")) {
      final HttpResponse<String> r = call("POST", "/subjects/it.types-value/versions", type, schemaBody(RECORD_V1));
      assertEquals(200, r.statusCode(), type + ": " + r.body());
      assertTrue(JSON.readTree(r.body()).get("id").isInt(), r.body());
    }
    assertEquals(List.of(1), client.versions("it.types-value"));
  }

  @Test
  void softDeletedSubjectDisappearsButItsIdsRemain() throws Exception {
    final String subject = "it.deleted-value";
    final int id = client.register(subject, schema(RECORD_V1.replace("Probe", "Gone")));
    assertEquals("[1]", call("DELETE", "/subjects/" + subject, null, null).body());
    assertFalse(client.subjects().contains(subject));
    assertEquals(schema(RECORD_V1.replace("Probe", "Gone")),
        new RestSchemaRegistryClient(registry.url(), Map.of()).getById(id));
    final RestSchemaRegistryClient fresh = new RestSchemaRegistryClient(registry.url(), Map.of());
    assertEquals(id, fresh.register(subject, schema(RECORD_V1.replace("Probe", "Gone"))));
    assertEquals(2, fresh.latest(subject).orElseThrow().version());
  }

  @Test
  void clientMovesToTheNextUrlWhenOneCannotBeReached() throws Exception {
    final int deadPort;
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort();
    }
    final SchemaRegistryClient twoUrls = SchemaRegistryClients.forUrl("http://127.0.0.1:" + deadPort + ","
        + registry.url(), Map.of(RestSchemaRegistryClient.CONNECT_TIMEOUT_MS_CONFIG, "2000"));
    assertEquals(client.register("it.failover-value", schema(RECORD_V1)),
        twoUrls.register("it.failover-value", schema(RECORD_V1)));
    final SchemaRegistryException down = assertThrows(SchemaRegistryException.class, () ->
        new RestSchemaRegistryClient("http://127.0.0.1:" + deadPort, Map.of()).subjects());
    assertTrue(down.getMessage().contains("cannot reach the schema registry"), down.getMessage());
  }

  @Test
  void serdeRegistersOnceAndFetchesOnceForManyRecords() {
    final String topic = "it.cache";
    final AvroSerde<CommitRejection> serde = new AvroSerde<>(CommitRejection.class);
    serde.configure(Map.of(SchemaRegistryClients.URL_CONFIG, registry.url()), false);
    final String registerPath = "POST /subjects/" + Subjects.of(topic, false) + "/versions";
    final long registersBefore = registry.requestCount(registerPath);
    final long fetchesBefore = registry.requestCount("GET /schemas/ids/");
    final List<byte[]> written = new ArrayList<>();
    IntStream.range(0, 50).forEach(i -> written.add(serde.serializer().serialize(topic, rejection(i))));
    final List<CommitRejection> read = written.stream().map(b -> serde.deserializer().deserialize(topic, b)).toList();
    assertEquals(IntStream.range(0, 50).mapToObj(EmbeddedSchemaRegistryIT::rejection).toList(), read);
    assertEquals(1, registry.requestCount(registerPath) - registersBefore, "one registration for 50 records");
    assertEquals(1, registry.requestCount("GET /schemas/ids/") - fetchesBefore, "one schema fetch for 50 records");
  }

  @Test
  void commitEventsRoundTripThroughTheBrokerAndTheRestRegistry() {
    final String topic = Topics.COMMITS.name();
    final AvroSerde<CommitEvent> serde = new AvroSerde<>(CommitEvent.class);
    serde.configure(Map.of(SchemaRegistryClients.URL_CONFIG, registry.url()), false);
    final List<CommitEvent> sent = IntStream.range(0, 10).mapToObj(SampleCommits::commit).toList();
    try (KafkaProducer<String, CommitEvent> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()), new StringSerializer(), serde.serializer())) {
      sent.forEach(c -> producer.send(new ProducerRecord<>(topic, SampleCommits.key(c), c)));
    }
    final List<CommitEvent> received = new ArrayList<>();
    try (KafkaConsumer<String, CommitEvent> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, "it-commits",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), serde.deserializer())) {
      consumer.subscribe(List.of(topic));
      final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (received.size() < sent.size() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
          assertEquals(SampleCommits.key(r.value()), r.key());
          received.add(r.value());
        });
      }
    }
    assertEquals(sent.stream().map(SampleCommits::key).sorted().toList(),
        received.stream().map(SampleCommits::key).sorted().toList());
    assertTrue(received.containsAll(sent), "every field survives the trip");
    assertEquals(CommitEvent.getClassSchema(), client.latest(Subjects.of(topic, false)).orElseThrow().schema());
  }

  static CommitRejection rejection(final int i) {
    return CommitRejection.newBuilder().setTaskId("octo/repo@" + i).setRepository("octo/repo").setCommitSha("sha" + i)
        .setRule("docstring_only").setReason("only docstrings changed (" + i + " lines)")
        .setRejectedAt(java.time.Instant.ofEpochMilli(1_700_000_000_000L + i)).build();
  }
}
