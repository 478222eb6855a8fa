package io.r2estream.producers.push;

/** Configuration keys of push-style ingestion (Micronaut properties), in one place. */
public final class IngestSettings {

  /** Kafka bootstrap servers; the HTTP ingestion beans exist only when this is set. */
  public static final String BOOTSTRAP_SERVERS = "r2e.kafka.bootstrap-servers";
  /** Schema registry URL ({@code mock://scope} for in-memory); also required for the beans to exist. */
  public static final String REGISTRY_URL = "r2e.registry.url";
  /** Directory of the registered-repositories file and of the clone cache; default ~/.r2e/ingest. */
  public static final String STATE_DIR = "r2e.ingest.state-dir";

  /** File under the state directory that lists the registered repositories. */
  public static final String REPOSITORIES_FILE = "repositories.json";
  /** Directory under the state directory where repositories registered by URL are cloned. */
  public static final String CLONES_DIR = "clones";

  private IngestSettings() {
  }
}
