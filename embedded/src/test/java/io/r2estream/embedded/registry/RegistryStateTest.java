package io.r2estream.embedded.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.embedded.registry.RegistryRecord.SchemaVersion;
import io.r2estream.embedded.registry.RegistryRecord.SubjectConfig;
import io.r2estream.registry.CompatibilityLevel;
import io.r2estream.registry.SchemaRegistryException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class RegistryStateTest {

  static final Schema V1 = RegistryState.parse("{\"type\":\"record\",\"name\":\"T\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}");
  static final Schema V2_WITH_DEFAULT = RegistryState.parse("{\"type\":\"record\",\"name\":\"T\",\"fields\":["
      + "{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"int\",\"default\":0}]}");
  static final Schema V2_NO_DEFAULT = RegistryState.parse("{\"type\":\"record\",\"name\":\"T\",\"fields\":["
      + "{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"c\",\"type\":\"int\"}]}");

  /** Records "appended" so far: applying them to a fresh state must rebuild the same registry. */
  private final List<RegistryRecord> log = new ArrayList<>();
  private final RegistryState state = new RegistryState();

  private int register(final String subject, final Schema schema) {
    final RegistryState.Registration plan = state.planRegister(subject, schema);
    plan.toAppend().ifPresent(this::append);
    return plan.id();
  }

  private void append(final RegistryRecord r) {
    // what the store does: the topic round trip, then apply
    final RegistryRecord read = RegistryRecord.decode(r.keyBytes(), r.valueBytes()).orElseThrow();
    assertEquals(r, read);
    log.add(read);
    state.apply(read);
  }

  @Test
  void registrationIsIdempotentAndVersionsCount() {
    final int id1 = register("s", V1);
    assertEquals(id1, register("s", V1), "same schema again: same id, no new version");
    final int id2 = register("s", V2_WITH_DEFAULT);
    assertEquals(id1 + 1, id2);
    assertEquals(List.of(1, 2), state.live("s").stream().map(SchemaVersion::version).toList());
    assertEquals(id2, state.version("s", "latest").id());
    assertEquals(id1, state.lookupOrFail("s", V1).id());
    assertEquals(2, log.size());
    assertEquals("{\"keytype\":\"SCHEMA\",\"subject\":\"s\",\"version\":2,\"magic\":1}",
        new String(log.get(1).keyBytes(), java.nio.charset.StandardCharsets.UTF_8), "Confluent's _schemas key layout");
    assertEquals("{\"keytype\":\"CONFIG\",\"magic\":0}",
        new String(new SubjectConfig(null, CompatibilityLevel.FULL).keyBytes(), java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void identicalSchemaUnderTwoSubjectsSharesOneId() {
    final int a = register("a-value", V1);
    final int b = register("b-value", V1);
    assertEquals(a, b);
    assertEquals(List.of("a-value", "b-value"), state.usages(a).stream().map(SchemaVersion::subject).toList());
    assertEquals(1, state.version("b-value", "1").version());
  }

  @Test
  void backwardRefusesANewFieldWithoutDefaultAndNoneAllowsIt() {
    register("s", V1);
    final SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> register("s", V2_NO_DEFAULT));
    assertEquals(409, e.httpStatus());
    assertFalse(state.compatibilityProblems("s", V2_NO_DEFAULT, "latest").isEmpty());
    append(new SubjectConfig("s", CompatibilityLevel.NONE));
    final int id = register("s", V2_NO_DEFAULT);
    assertEquals(id, state.version("s", "latest").id());
    assertEquals(2, state.version("s", "latest").version());
    assertEquals(CompatibilityLevel.BACKWARD, state.level("other"), "only the subject changed");
  }

  @Test
  void softDeleteHidesVersionsButKeepsIdsAndNumbering() {
    final int id = register("s", V1);
    state.planDeleteSubject("s").forEach(this::append);
    assertEquals(List.of(), state.subjects());
    assertEquals(40401, assertThrows(SchemaRegistryException.class, () -> state.live("s")).errorCode());
    assertTrue(state.schemaText(id).contains("\"T\""), "a deleted version's schema stays readable by id");
    assertEquals(id, register("s", V1));
    assertEquals(2, state.version("s", "latest").version(), "version numbers are not reused");
  }

  @Test
  void replayingTheLogRebuildsTheSameRegistry() {
    register("a", V1);
    register("a", V2_WITH_DEFAULT);
    register("b", V2_NO_DEFAULT);
    append(new SubjectConfig(null, CompatibilityLevel.FULL));
    final RegistryState replayed = new RegistryState();
    log.forEach(replayed::apply);
    assertEquals(state.subjects(), replayed.subjects());
    assertEquals(state.live("a"), replayed.live("a"));
    assertEquals(CompatibilityLevel.FULL, replayed.level("b"));
    assertEquals(4, replayed.planRegister("c", RegistryState.parse("\"string\"")).id(), "next id is max + 1");
  }

  @Test
  void errorsUseConfluentCodes() {
    assertEquals(40403, assertThrows(SchemaRegistryException.class, () -> state.schemaText(7)).errorCode());
    assertEquals(42201, assertThrows(SchemaRegistryException.class, () -> RegistryState.parse("{\"type\":\"nope\"}"))
        .errorCode());
    register("s", V1);
    assertEquals(40402, assertThrows(SchemaRegistryException.class, () -> state.version("s", "9")).errorCode());
    assertEquals(42202, assertThrows(SchemaRegistryException.class, () -> state.version("s", "x")).errorCode());
    assertEquals(40403, assertThrows(SchemaRegistryException.class, () -> state.lookupOrFail("s", V2_NO_DEFAULT))
        .errorCode());
  }
}
