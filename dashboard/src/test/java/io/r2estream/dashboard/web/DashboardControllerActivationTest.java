package io.r2estream.dashboard.web;

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

/** The platform's other Micronaut contexts share the classpath: without a dashboard state they must not serve it. */
class DashboardControllerActivationTest {

  @Test
  void aContextWithoutDashboardStateDoesNotExposeTheDashboard() throws Exception {
    try (ApplicationContext ctx = ApplicationContext.builder().deduceEnvironment(false).banner(false)
        .properties(Map.of("micronaut.server.port", -1)).start()) {
      assertFalse(ctx.containsBean(DashboardController.class));
      final EmbeddedServer server = ctx.getBean(EmbeddedServer.class).start();
      final HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.getPort() + "/api/overview")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(404, r.statusCode());
    }
  }
}
