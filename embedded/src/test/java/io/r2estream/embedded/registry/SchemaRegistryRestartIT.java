package io.r2estream.embedded.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.embedded.EmbeddedKafkaBroker;
import io.r2estream.registry.CompatibilityLevel;
import io.r2estream.registry.RestSchemaRegistryClient;
import io.r2estream.registry.SchemaRegistryClient;
import io.r2estream.registry.SchemaRegistryException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** All registry state lives in the schemas topic: a restart of broker and registry on the same data keeps it. */
class SchemaRegistryRestartIT {

  @TempDir
  Path dir;

  private static Schema probe(final String name, final String extraField) {
    return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"" + name + "\",\"fields\":[{\"name\":\"a\","
        + "\"type\":\"string\"}" + extraField + "]}");
  }

  private static int delete(final String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).DELETE().build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void idsSubjectsVersionsAndConfigSurviveARestartOfBrokerAndRegistry() throws Exception {
    final Schema a1 = probe("A", "");
    final Schema a2 = probe("A", ",{\"name\":\"b\",\"type\":\"int\",\"default\":1}");
    final Schema b1 = probe("B", "");
    final int port;
    final int idA1;
    final int idA2;
    final int idB1;

    // 1. first life: three schemas, a deleted subject and a subject-level config
    try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, 0).start();
         EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), 0)) {
      port = broker.port();
      final SchemaRegistryClient client = new RestSchemaRegistryClient(registry.url(), Map.of());
      idA1 = client.register("a-value", a1);
      idA2 = client.register("a-value", a2);
      idB1 = client.register("b-value", b1);
      client.register("gone-value", probe("Gone", ""));
      assertEquals(200, delete(registry.url() + "/subjects/gone-value"));
      client.setCompatibility("b-value", CompatibilityLevel.FULL);
      client.setCompatibility(null, CompatibilityLevel.FORWARD);
      assertEquals(List.of(1, 2, 3), List.of(idA1, idA2, idB1));
    }

    // 2. second life on the same directory: same ids, versions, deletions and levels; new ids continue at max + 1
    try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, port).start();
         EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), 0)) {
      final SchemaRegistryClient client = new RestSchemaRegistryClient(registry.url(), Map.of());
      assertEquals(List.of("a-value", "b-value"), client.subjects());
      assertEquals(List.of(), client.versions("gone-value"));
      assertEquals(4, client.register("gone-value", probe("Gone", "")), "a soft-deleted schema keeps its id");
      assertEquals(2, client.latest("gone-value").orElseThrow().version(), "and version numbers continue");
      assertEquals(List.of(1, 2), client.versions("a-value"));
      assertEquals(idA2, client.latest("a-value").orElseThrow().id());
      assertEquals(b1, client.getById(idB1));
      assertEquals(idA1, client.register("a-value", a1), "re-registering returns the old id");
      assertEquals(5, client.register("c-value", probe("C", "")));
      assertTrue(client.isCompatible("c-value", probe("C", ",{\"name\":\"d\",\"type\":\"int\"}")),
          "the global FORWARD level survived (BACKWARD would refuse a new field without default)");
      final SchemaRegistryException full = assertThrows(SchemaRegistryException.class,
          () -> client.register("b-value", probe("B", ",{\"name\":\"c\",\"type\":\"int\"}")));
      assertEquals(409, full.errorCode(), "b-value's FULL level survived");
    }
  }
}
