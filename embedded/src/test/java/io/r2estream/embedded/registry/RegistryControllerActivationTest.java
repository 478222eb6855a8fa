package io.r2estream.embedded.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The platform's other Micronaut contexts share this jar: without a store they must not serve the registry API. */
class RegistryControllerActivationTest {

  @Test
  void aContextWithoutSchemaStoreDoesNotExposeTheRegistry() throws Exception {
    try (ApplicationContext ctx = ApplicationContext.builder().deduceEnvironment(false).banner(false)
        .properties(Map.of("micronaut.server.port", -1)).start()) {
      assertFalse(ctx.containsBean(SchemaRegistryController.class));
      assertFalse(ctx.containsBean(RequestCounter.class));
      final EmbeddedServer server = ctx.getBean(EmbeddedServer.class).start();
      final HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.getPort() + "/subjects")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(404, r.statusCode());
    }
  }
}
