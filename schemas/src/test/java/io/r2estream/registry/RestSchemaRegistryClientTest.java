package io.r2estream.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the client puts on the wire, seen by a recording HTTP server: headers, credentials, encoded subjects,
 * Confluent's Avro body without schemaType, caching, and errors that are not registry JSON. The embedded server's
 * ITs (embedded module) cover the API semantics end to end.
 */
class RestSchemaRegistryClientTest {

  record Seen(String method, String rawPath, String contentType, String accept, String authorization, String body) {
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Schema SCHEMA = new Schema.Parser().parse(
      "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}");
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private HttpServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::answer);
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private void answer(final HttpExchange ex) throws IOException {
    final String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    final String path = ex.getRequestURI().getRawPath();
    seen.add(new Seen(ex.getRequestMethod(), path, ex.getRequestHeaders().getFirst("Content-Type"),
        ex.getRequestHeaders().getFirst("Accept"), ex.getRequestHeaders().getFirst("Authorization"), body));
    final int status;
    final String answer;
    if (path.endsWith("/versions") && "POST".equals(ex.getRequestMethod())) {
      status = 200;
      answer = "{\"id\":42}";
    } else if (path.equals("/schemas/ids/7")) {
      status = 502;
      answer = "<html>Bad gateway</html>";
    } else {
      status = 404;
      answer = "{\"error_code\":40401,\"message\":\"Subject 'x' not found.\"}";
    }
    final byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", RestSchemaRegistryClient.MEDIA_TYPE);
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  void registersWithConfluentHeadersCredentialsAndEncodedSubjectOnce() throws Exception {
    final SchemaRegistryClient client = SchemaRegistryClients.forUrl(url() + "/",
        Map.of("schema.registry." + RestSchemaRegistryClient.BASIC_AUTH_USER_INFO_CONFIG, "user:s3cret"));
    assertEquals(42, client.register("a/b c-value", SCHEMA));
    assertEquals(42, client.register("a/b c-value", SCHEMA));
    assertEquals(SCHEMA, client.getById(42), "the registered schema is cached under its id");

    assertEquals(1, seen.size(), "one request for two registrations and a lookup: " + seen);
    final Seen post = seen.get(0);
    assertEquals("POST", post.method());
    assertEquals("/subjects/a%2Fb%20c-value/versions", post.rawPath());
    assertEquals("application/vnd.schemaregistry.v1+json", post.contentType());
    assertTrue(post.accept().startsWith("application/vnd.schemaregistry.v1+json"), post.accept());
    assertEquals("Basic " + Base64.getEncoder().encodeToString("user:s3cret".getBytes(StandardCharsets.UTF_8)),
        post.authorization());
    final JsonNode body = JSON.readTree(post.body());
    assertEquals(SCHEMA, new Schema.Parser().parse(body.get("schema").asText()));
    assertFalse(body.has("schemaType"), "Confluent omits schemaType for Avro");
  }

  @Test
  void registryErrorsAndForeignErrorPagesBecomeSchemaRegistryExceptions() {
    final RestSchemaRegistryClient client = new RestSchemaRegistryClient(url(), Map.of());
    final SchemaRegistryException gateway = assertThrows(SchemaRegistryException.class, () -> client.getById(7));
    assertEquals(502, gateway.httpStatus());
    assertTrue(gateway.getMessage().contains("<html>Bad gateway</html>"), gateway.getMessage());
    final SchemaRegistryException missing = assertThrows(SchemaRegistryException.class, client::subjects);
    assertEquals(40401, missing.errorCode());
    assertTrue(client.isCompatible("x", SCHEMA), "a subject without versions accepts any schema");
    assertEquals(List.of(), client.versions("x"));
    assertEquals(null, seen.get(0).authorization(), "no credentials unless configured");
  }

  @Test
  void rejectsUrlsItCannotUse() {
    assertThrows(IllegalArgumentException.class, () -> SchemaRegistryClients.forUrl("ftp://host", Map.of()));
    assertThrows(IllegalArgumentException.class,
        () -> new RestSchemaRegistryClient("http://user:pw@host:8081", Map.of()));
    assertThrows(IllegalArgumentException.class, () -> new RestSchemaRegistryClient(url(),
        Map.of(RestSchemaRegistryClient.READ_TIMEOUT_MS_CONFIG, "soon")));
  }
}
