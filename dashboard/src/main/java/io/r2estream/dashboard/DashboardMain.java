package io.r2estream.dashboard;

import io.r2estream.metrics.MetricsServer;
import io.r2estream.metrics.MetricsSettings;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code dashboard} entry point: reads {@link DashboardConfig} from system properties and environment variables
 * (at least {@code r2e.kafka.bootstrap-servers} and {@code r2e.registry.url}), serves until the JVM is stopped.
 * Also serves the process's Prometheus metrics ({@code r2e.metrics.*}, default port {@value #METRICS_PORT}).
 */
public final class DashboardMain {

  private static final String LOGBACK_CONFIG = "logback.configurationFile";
  private static final String AVRO_TRUSTED = "org.apache.avro.SERIALIZABLE_PACKAGES";
  private static final String TRUSTED_PACKAGES = "java.lang,java.math,java.io,java.net,org.apache.avro.util,io.r2estream";

  /** Default metrics port of a standalone dashboard: next to a platform process (9404) on the same host. */
  public static final int METRICS_PORT = 9405;

  private DashboardMain() {
  }

  public static void main(final String[] args) throws InterruptedException {
    if (System.getProperty(AVRO_TRUSTED) == null) {
      System.setProperty(AVRO_TRUSTED, TRUSTED_PACKAGES); // Avro ≥1.12.1 refuses to build our classes otherwise
    }
    if (System.getProperty(LOGBACK_CONFIG) == null) {
      System.setProperty(LOGBACK_CONFIG, "dashboard-logback.xml"); // before the first logger is created
    }
    final DashboardConfig config;
    try {
      config = DashboardConfig.fromSystem();
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
      return;
    }
    final Optional<MetricsServer> metrics;
    try {
      metrics = MetricsServer.startIfEnabled(MetricsSettings.fromSystem(METRICS_PORT));
    } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
      return;
    }
    final Dashboard dashboard = Dashboard.start(config);
    final CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      dashboard.close();
      metrics.ifPresent(MetricsServer::close);
      stopped.countDown();
    }, "r2e-dashboard-shutdown"));
    System.out.println("R2E dashboard: " + dashboard.url());
    metrics.ifPresent(m -> System.out.println("R2E dashboard metrics: " + m.url()));
    stopped.await();
  }
}
