package io.r2estream.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.r2estream.connect.dataset.DatasetSinkConfig;
import io.r2estream.deploy.platform.PlatformConfig;
import io.r2estream.deploy.platform.PlatformConnectors;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code r2e connectors register}: puts the platform's sink connectors (the same configs the embedded worker runs,
 * from {@link PlatformConnectors}) on a Kafka Connect cluster over its REST API and waits until they run. The
 * one-shot service of the distributed deployment; also works against any Connect cluster that has our plugins.
 */
@Command(name = "connectors", description = "Manage the sink connectors on a Kafka Connect cluster.",
    subcommands = ConnectorsCommand.Register.class)
final class ConnectorsCommand {

  @ParentCommand
  R2eCli root;

  /** The register subcommand. */
  @Command(name = "register", description = "Create or update the dataset and PostgreSQL sinks on a Connect cluster "
      + "and wait until their tasks run.")
  static final class Register implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParentCommand
    ConnectorsCommand parent;

    @Option(names = "--connect-url", required = true, description = "REST URL of a Connect worker, e.g. "
        + "http://connect:8083.")
    String connectUrl;

    @Option(names = "--dataset-dir", description = "Directory of the dataset files on the Connect workers "
        + "(default: <r2e.data-dir>/datasets).")
    Path datasetDir;

    @Option(names = "--inline-password", description = "Send the configured r2e.jdbc.password in the connector "
        + "config (stored in Connect's config topic) instead of the reference "
        + PlatformConnectors.JDBC_PASSWORD_ENV_REFERENCE + " that our workers resolve from their environment.")
    boolean inlinePassword;

    @Option(names = "--timeout", description = "How long to wait for the cluster and the tasks (default: "
        + "${DEFAULT-VALUE}).", defaultValue = "PT3M")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
      final PlatformConfig config = parent.root.config(Map.of());
      final Map<String, Map<String, String>> connectors = PlatformConnectors.configs(config,
          datasetDir != null ? datasetDir : config.dataDir().resolve(DatasetSinkConfig.PLATFORM_DIR_NAME),
          config.effectiveRegistryUrl(), config.jdbcUrl(), config.jdbcUsername(),
          inlinePassword ? config.jdbcPassword() : PlatformConnectors.JDBC_PASSWORD_ENV_REFERENCE);
      final String base = connectUrl.endsWith("/") ? connectUrl.substring(0, connectUrl.length() - 1) : connectUrl;
      final long deadline = System.nanoTime() + timeout.toNanos();
      final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      for (final Map.Entry<String, Map<String, String>> c : connectors.entrySet()) {
        put(http, base, c.getKey(), c.getValue(), deadline);
      }
      for (final String name : connectors.keySet()) {
        System.out.println("  " + name + "  " + awaitRunning(http, base, name, deadline));
      }
      return 0;
    }

    /** PUT /connectors/{name}/config, retried while the cluster starts or rebalances (no answer, 409, 5xx). */
    private void put(final HttpClient http, final String base, final String name, final Map<String, String> config,
        final long deadline) throws InterruptedException, IOException {
      final HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/connectors/" + encode(name) + "/config"))
          .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
          .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(config))).build();
      String last = "no answer";
      while (System.nanoTime() < deadline) {
        try {
          final HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200 || r.statusCode() == 201) {
            return;
          }
          last = "HTTP " + r.statusCode() + ": " + r.body();
          if (r.statusCode() != 409 && r.statusCode() < 500) {
            throw new IllegalStateException("Connect at " + base + " refused connector " + name + ": " + last);
          }
        } catch (final IOException e) {
          last = e.toString();
        }
        Thread.sleep(1000);
      }
      throw new IllegalStateException("Connect at " + base + " did not accept connector " + name + " within " + timeout
          + "; last answer: " + last);
    }

    /** Polls the connector's status until it and all its tasks run; a FAILED task fails the command at once. */
    private String awaitRunning(final HttpClient http, final String base, final String name, final long deadline)
        throws InterruptedException, IOException {
      final HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/connectors/" + encode(name) + "/status"))
          .timeout(Duration.ofSeconds(10)).GET().build();
      String last = "no status";
      while (System.nanoTime() < deadline) {
        try {
          final HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            final JsonNode status = JSON.readTree(r.body());
            final JsonNode tasks = status.path("tasks");
            for (final JsonNode task : tasks) {
              if ("FAILED".equals(task.path("state").asText())) {
                throw new IllegalStateException("connector " + name + " task " + task.path("id").asText()
                    + " failed on " + task.path("worker_id").asText() + ": "
                    + task.path("trace").asText().lines().findFirst().orElse("no trace"));
              }
            }
            final boolean running = "RUNNING".equals(status.path("connector").path("state").asText())
                && !tasks.isEmpty()
                && java.util.stream.StreamSupport.stream(tasks.spliterator(), false)
                    .allMatch(task -> "RUNNING".equals(task.path("state").asText()));
            if (running) {
              return "RUNNING (" + tasks.size() + " task" + (tasks.size() == 1 ? "" : "s") + " on "
                  + tasks.get(0).path("worker_id").asText() + ")";
            }
            last = r.body();
          } else {
            last = "HTTP " + r.statusCode() + ": " + r.body();
          }
        } catch (final IOException e) {
          last = e.toString();
        }
        Thread.sleep(500);
      }
      throw new IllegalStateException("connector " + name + " on " + base + " was not running within " + timeout
          + "; last status: " + last);
    }

    private static String encode(final String name) {
      return URLEncoder.encode(name, StandardCharsets.UTF_8);
    }
  }
}
