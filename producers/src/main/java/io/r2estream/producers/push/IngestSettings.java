package io.r2estream.producers.push;

import io.r2estream.config.ConfigKeys;

/** Configuration keys of push-style ingestion; the platform-wide ones are aliases of {@link ConfigKeys}. */
public final class IngestSettings {

  /** Kafka bootstrap servers; the HTTP ingestion beans exist only when this is set. */
  public static final String BOOTSTRAP_SERVERS = ConfigKeys.KAFKA_BOOTSTRAP_SERVERS;
  /** Schema registry URL ({@code mock://scope} for in-memory); also required for the beans to exist. */
  public static final String REGISTRY_URL = ConfigKeys.REGISTRY_URL;
  /** Kafka client settings (security) of the publisher: {@link ConfigKeys#KAFKA_CLIENT_PREFIX} without its dot. */
  static final String KAFKA_CLIENT = ConfigKeys.KAFKA_CLIENT_PREFIX.substring(0,
      ConfigKeys.KAFKA_CLIENT_PREFIX.length() - 1);
  /** Directory of the registered-repositories file and of the clone cache; default ~/.r2e/ingest. */
  public static final String STATE_DIR = "r2e.ingest.state-dir";

  /** File under the state directory that lists the registered repositories. */
  public static final String REPOSITORIES_FILE = "repositories.json";
  /** Directory under the state directory where repositories registered by URL are cloned. */
  public static final String CLONES_DIR = "clones";

  private IngestSettings() {
  }
}
