package io.r2estream.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.avro.ChangeType;
import io.r2estream.avro.CommitEvent;
import io.r2estream.avro.FileChange;
import io.r2estream.avro.ProblemStatement;
import io.r2estream.registry.InMemorySchemaRegistryClient;
import io.r2estream.registry.SchemaRegistryClients;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

  private static final String SCOPE = "serde-test";
  private final InMemorySchemaRegistryClient registry = InMemorySchemaRegistryClient.scope(SCOPE);

  @AfterEach
  void drop() {
    InMemorySchemaRegistryClient.dropScope(SCOPE);
  }

  @Test
  void roundTripsAGeneratedRecordInTheConfluentWireFormat() {
    final AvroSerde<CommitEvent> serde = new AvroSerde<>(CommitEvent.class);
    serde.configure(Map.of(SchemaRegistryClients.URL_CONFIG, "mock://" + SCOPE), false);
    final CommitEvent event = CommitEvent.newBuilder().setRepository("acme/w").setSha("abc").setParentSha(null)
        .setAuthorTime(Instant.ofEpochMilli(1_700_000_000_000L)).setCommitTime(Instant.ofEpochMilli(1_700_000_000_000L))
        .setIngestedAt(Instant.ofEpochMilli(1L)).setMessage("fix: héllo")
        .setFiles(List.of(FileChange.newBuilder().setNewPath("a.py").setOldPath("a.py").setChangeType(ChangeType.MODIFY)
            .setPatch("@@ -1 +1 @@\n-a\n+b\n").build()))
        .build();

    final byte[] bytes = serde.serializer().serialize("r2e.commits", event);

    assertEquals(0, bytes[0], "magic byte");
    final int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
    assertEquals(registry.latest("r2e.commits-value").orElseThrow().id(), id, "schema id of the subject");
    assertEquals(event, serde.deserializer().deserialize("r2e.commits", bytes));
  }

  @Test
  void readsDataWrittenWithAnOlderSchemaVersion() throws Exception {
    // An older ProblemStatement without the optional fields added later; written by a plain Avro writer.
    final Schema old = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"ProblemStatement\","
        + "\"namespace\":\"io.r2estream.avro\",\"fields\":[{\"name\":\"task_id\",\"type\":\"string\"},"
        + "{\"name\":\"problem_statement\",\"type\":\"string\"},"
        + "{\"name\":\"written_at\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}}]}");
    final int id = registry.register("r2e.problem.statements-value", old);
    final GenericRecord rec = new GenericData.Record(old);
    rec.put("task_id", "t@1");
    rec.put("problem_statement", "It breaks.");
    rec.put("written_at", 5L);
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(id).array());
    final BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(old).write(rec, enc);
    enc.flush();

    final ProblemStatement read = new AvroDeserializer<>(ProblemStatement.class, registry)
        .deserialize("r2e.problem.statements", out.toByteArray());

    assertEquals("It breaks.", read.getProblemStatement());
    assertEquals("", read.getModel(), "field added later takes its default");
    assertEquals(-1, read.getPromptTokens());
  }

  @Test
  void rejectsBytesThatAreNotInTheWireFormatWithAClearError() {
    final AvroDeserializer<CommitEvent> de = new AvroDeserializer<>(CommitEvent.class, registry);
    final SerializationException shortErr = assertThrows(SerializationException.class,
        () -> de.deserialize("r2e.commits", new byte[] {0, 1}));
    assertTrue(shortErr.getMessage().contains("too short"), shortErr.getMessage());
    final SerializationException magicErr = assertThrows(SerializationException.class,
        () -> de.deserialize("r2e.commits", "{\"json\": true}".getBytes()));
    assertTrue(magicErr.getMessage().contains("magic byte"), magicErr.getMessage());
    final SerializationException unknownId = assertThrows(SerializationException.class,
        () -> de.deserialize("r2e.commits", new byte[] {0, 0, 0, 0, 99, 1, 2}));
    assertTrue(unknownId.getMessage().contains("99"), unknownId.getMessage());
  }

  @Test
  void refusesToRegisterAnIncompatibleSchemaUnderBackward() {
    final Schema v1 = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"R\",\"fields\":["
        + "{\"name\":\"a\",\"type\":\"string\"}]}");
    final Schema v2 = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"R\",\"fields\":["
        + "{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"int\"}]}");
    registry.register("s-value", v1);
    final RuntimeException e = assertThrows(RuntimeException.class, () -> registry.register("s-value", v2));
    assertTrue(e.getMessage().contains("incompatible"), e.getMessage());
  }
}
