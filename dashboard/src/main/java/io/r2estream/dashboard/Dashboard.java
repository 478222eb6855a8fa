package io.r2estream.dashboard;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.r2estream.dashboard.view.DashboardState;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running dashboard: a {@link TopicReader} and an {@link OffsetPoller} feeding one {@link DashboardState},
 * served over HTTP (JSON, server-sent events, static pages) by a Micronaut context of its own.
 */
public final class Dashboard implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);
  /** Classpath folder of the pages, scripts and styles. */
  static final String UI_RESOURCES = "classpath:dashboard-ui";

  private final DashboardState state;
  private final TopicReader reader;
  private final OffsetPoller poller;
  private final ApplicationContext context;
  private final EmbeddedServer server;

  private Dashboard(final DashboardState state, final TopicReader reader, final OffsetPoller poller,
      final ApplicationContext context, final EmbeddedServer server) {
    this.state = state;
    this.reader = reader;
    this.poller = poller;
    this.context = context;
    this.server = server;
  }

  /** Starts reading the topics and serving the pages; on failure stops what had started and rethrows. */
  public static Dashboard start(final DashboardConfig config) {
    final DashboardState state = new DashboardState(config.maxTasks(), config.maxTrajectories());
    final TopicReader reader = new TopicReader(config, state).start();
    OffsetPoller poller = null;
    try {
      poller = new OffsetPoller(config, state).start();
      final ApplicationContext context = ApplicationContext.builder()
          .banner(false)
          .deduceEnvironment(false)
          .properties(Map.of(
              "micronaut.application.name", "r2e-dashboard",
              "micronaut.server.host", config.host(),
              "micronaut.server.port", config.port() == 0 ? -1 : config.port(),
              "micronaut.router.static-resources.dashboard.paths", UI_RESOURCES,
              "micronaut.router.static-resources.dashboard.mapping", "/**"))
          .singletons(state, config)
          .start();
      try {
        final EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
        final Dashboard d = new Dashboard(state, reader, poller, context, server);
        LOG.info("Dashboard serving {} (topics on {})", d.url(), config.bootstrapServers());
        return d;
      } catch (RuntimeException e) {
        context.close();
        throw e;
      }
    } catch (RuntimeException e) {
      if (poller != null) {
        poller.close();
      }
      reader.close();
      throw e;
    }
  }

  /** Base URL of the pages, e.g. {@code http://127.0.0.1:8090/}. */
  public String url() {
    return "http://" + server.getHost() + ":" + server.getPort() + "/";
  }

  public int port() {
    return server.getPort();
  }

  /** The views (for tests and embedding). */
  public DashboardState state() {
    return state;
  }

  @Override
  public void close() {
    try {
      context.close();
    } finally {
      try {
        poller.close();
      } finally {
        reader.close();
      }
    }
  }
}
