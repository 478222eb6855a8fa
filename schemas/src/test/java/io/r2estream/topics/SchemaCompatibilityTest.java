package io.r2estream.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build's guard on schema evolution: it fails when a schema change breaks compatibility with a release. */
class SchemaCompatibilityTest {

  private static final SchemaReleases RELEASED = new SchemaReleases(Path.of("src/main/avro-released"));

  @Test
  void everyTopicSchemaHasAReleasedVersion() {
    final List<String> unreleased = SchemaReleases.current().keySet().stream()
        .filter(n -> RELEASED.released(n).isEmpty()).toList();
    assertEquals(List.of(), unreleased, "release new schemas with SchemaReleases (see README, Tests)");
  }

  @Test
  void currentSchemasReadEveryReleasedVersion() {
    final Map<String, List<String>> broken = SchemaReleases.current().values().stream()
        .collect(Collectors.toMap(Schema::getFullName, RELEASED::violations));
    broken.values().removeIf(List::isEmpty);
    assertEquals(Map.of(), broken, "schema changes must stay " + SchemaReleases.RULE);
  }

  @Test
  void theGuardCatchesABreakingChangeAndAcceptsACompatibleOne(@TempDir final Path dir) throws Exception {
    final String v1 = "{\"type\":\"record\",\"name\":\"T\",\"namespace\":\"x\",\"fields\":["
        + "{\"name\":\"a\",\"type\":\"string\"}]}";
    Files.createDirectories(dir.resolve("x.T"));
    Files.writeString(dir.resolve("x.T/v1.avsc"), v1);
    final SchemaReleases releases = new SchemaReleases(dir);
    final Schema addedWithDefault = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"T\",\"namespace\":"
        + "\"x\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"int\",\"default\":0}]}");
    final Schema addedWithoutDefault = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"T\",\"namespace\":"
        + "\"x\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"int\"}]}");
    final Schema typeChanged = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"T\",\"namespace\":"
        + "\"x\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}");
    assertTrue(releases.violations(addedWithDefault).isEmpty());
    assertFalse(releases.violations(addedWithoutDefault).isEmpty());
    assertTrue(releases.violations(addedWithoutDefault).get(0).contains("READER_FIELD_MISSING_DEFAULT_VALUE"),
        releases.violations(addedWithoutDefault).toString());
    assertFalse(releases.violations(typeChanged).isEmpty());
  }
}
