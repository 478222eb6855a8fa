package io.r2estream.config;

/**
 * The platform's configuration keys, in one place. Every component reads the same keys from application.yml,
 * from environment variables (Micronaut maps {@code R2E_KAFKA_BOOTSTRAP_SERVERS} to
 * {@code r2e.kafka.bootstrap-servers}) or from {@code -D key=value} on the CLI. An empty external address
 * means "run the embedded default". Stage-specific keys (e.g. {@code r2e.swegen.*}) live with their stage.
 */
public final class ConfigKeys {

  /** Directory holding all embedded state: broker logs, PostgreSQL, streams state, Connect offsets. */
  public static final String DATA_DIR = "r2e.data-dir";
  /** Kafka bootstrap servers of an external cluster; empty = embedded broker. */
  public static final String KAFKA_BOOTSTRAP_SERVERS = "r2e.kafka.bootstrap-servers";
  /**
   * Prefix of Kafka client settings copied, prefix stripped, into every Kafka client the platform creates
   * (producers, consumers, admins, Streams, Connect), e.g. {@code r2e.kafka.client.security.protocol=SASL_SSL};
   * values may reference environment variables as {@code ${NAME}}. See {@link KafkaClientConfig}.
   */
  public static final String KAFKA_CLIENT_PREFIX = "r2e.kafka.client.";
  /** Client port of the embedded broker (0 = any free port). */
  public static final String KAFKA_EMBEDDED_PORT = "r2e.kafka.embedded-port";
  /** Replication factor of the topics the platform creates (1 for the embedded broker). */
  public static final String KAFKA_REPLICATION_FACTOR = "r2e.kafka.replication-factor";
  /** URL of a Confluent-compatible schema registry; empty = embedded registry. */
  public static final String REGISTRY_URL = "r2e.registry.url";
  /** Port of the embedded schema registry (0 = any free port). */
  public static final String REGISTRY_EMBEDDED_PORT = "r2e.registry.embedded-port";
  /**
   * Interface the embedded schema registry binds to: {@code 127.0.0.1} (default, it has no authentication) or
   * {@code 0.0.0.0} in a registry container that other containers of a private network reach.
   */
  public static final String REGISTRY_EMBEDDED_HOST = "r2e.registry.embedded-host";
  /** JDBC URL of an external PostgreSQL; empty = embedded PostgreSQL. */
  public static final String JDBC_URL = "r2e.jdbc.url";
  public static final String JDBC_USERNAME = "r2e.jdbc.username";
  public static final String JDBC_PASSWORD = "r2e.jdbc.password";
  /** Port of the embedded PostgreSQL (0 = any free port). */
  public static final String JDBC_EMBEDDED_PORT = "r2e.jdbc.embedded-port";
  /**
   * Which platform components this process runs: {@code all} (default) or a comma-separated list of names from
   * {@code PlatformComponent} (deploy module), so one image serves every role of a distributed deployment.
   */
  public static final String COMPONENTS = "r2e.components";
  /** Whether the platform runs a Kafka Connect standalone worker (hosts the sink connectors). */
  public static final String CONNECT_ENABLED = "r2e.connect.enabled";
  /** REST port of the Connect worker (0 = any free port). */
  public static final String CONNECT_PORT = "r2e.connect.port";
  /** Interface the Connect worker's REST server binds to: {@code 127.0.0.1} (default) or {@code 0.0.0.0}. */
  public static final String CONNECT_HOST = "r2e.connect.host";
  /**
   * {@code standalone} (default: one worker, offsets in a file under the data directory, the platform registers the
   * sinks itself) or {@code distributed} (workers of {@link #CONNECT_GROUP_ID} share connectors, configs and offsets
   * through Kafka topics; connectors are registered over REST, e.g. by {@code r2e connectors register}).
   */
  public static final String CONNECT_MODE = "r2e.connect.mode";
  /** Group id, and prefix of the config/offset/status topics, of distributed Connect workers. */
  public static final String CONNECT_GROUP_ID = "r2e.connect.group-id";
  /** Whether the platform registers the PostgreSQL sink connector on its Connect worker (default true). */
  public static final String SINK_POSTGRES_ENABLED = "r2e.sink.postgres.enabled";
  /**
   * Prefix of settings for the platform's dataset sink: {@code r2e.sink.dataset.<key>} becomes the connector's
   * {@code dataset.<key>} (e.g. {@code r2e.sink.dataset.roll.interval.ms}).
   */
  public static final String SINK_DATASET_PREFIX = "r2e.sink.dataset.";
  /** Port of the platform's HTTP API (push ingestion, status); Micronaut's own key. */
  public static final String HTTP_PORT = "micronaut.server.port";
  /** Interface of the platform's HTTP API: 127.0.0.1 (default, no authentication) or 0.0.0.0 in a container. */
  public static final String HTTP_HOST = "micronaut.server.host";
  /** Kafka Streams application id prefix; each topology appends its own name. */
  public static final String STREAMS_APPLICATION_ID = "r2e.streams.application-id";
  /** Stream threads per topology in this process. */
  public static final String STREAMS_THREADS = "r2e.streams.threads";

  /**
   * Prefix of per-repository recipe overrides: {@code r2e.recipes.<repository>.<field>}, the field one of the
   * {@code RECIPE_*} names below; fields not set fall back to the default Python recipe.
   */
  public static final String RECIPES_PREFIX = "r2e.recipes.";
  /** Recipe field: install commands, one shell line per line, run as one bash script in the env image build. */
  public static final String RECIPE_INSTALL = "install";
  /** Recipe field: test command template; {@code {tests}} becomes the shell-quoted test files. */
  public static final String RECIPE_TEST_COMMAND = "test-command";
  /** Recipe field: Java regex a repository path must match entirely to be a test file (default: R2E-Gym's rule). */
  public static final String RECIPE_TEST_FILE_REGEX = "test-file-regex";
  /** Recipe field: name of the test-log parser that reads the test command's output. */
  public static final String RECIPE_LOG_PARSER = "log-parser";
  /** Recipe field: time limit of the install script (seconds, or ISO-8601 like PT20M). */
  public static final String RECIPE_INSTALL_TIMEOUT = "install-timeout";
  /** Recipe field: time limit of one test command run (seconds, or ISO-8601 like PT5M). */
  public static final String RECIPE_TEST_TIMEOUT = "test-timeout";
  /** Base URL of an OpenAI-compatible API, e.g. http://localhost:8000/v1 (env R2E_LLM_BASE_URL); empty = no LLM. */
  public static final String LLM_BASE_URL = "r2e.llm.base-url";
  /** Model name sent with every chat request (env R2E_LLM_MODEL). */
  public static final String LLM_MODEL = "r2e.llm.model";
  /** Bearer token of the LLM API (env R2E_LLM_API_KEY, then OPENAI_API_KEY); never logged. */
  public static final String LLM_API_KEY = "r2e.llm.api-key";
  /** Timeout of one HTTP request to the LLM, milliseconds (connect to last byte). */
  public static final String LLM_REQUEST_TIMEOUT_MS = "r2e.llm.request-timeout-ms";
  /** Retries after the first attempt on 429, 5xx and I/O errors (0 = no retry). */
  public static final String LLM_MAX_RETRIES = "r2e.llm.max-retries";
  /** First retry backoff, milliseconds; doubles per retry, with jitter, up to the maximum below. */
  public static final String LLM_BACKOFF_INITIAL_MS = "r2e.llm.backoff-initial-ms";
  /** Ceiling of the computed retry backoff, milliseconds (a server's Retry-After may ask for longer). */
  public static final String LLM_BACKOFF_MAX_MS = "r2e.llm.backoff-max-ms";
  /** Requests one LLM client has in flight at most; also the back-translator's parallelism. */
  public static final String LLM_MAX_CONCURRENCY = "r2e.llm.max-concurrency";
  /** Consumer group of the back-translation workers. */
  public static final String BACKTRANSLATION_GROUP_ID = "r2e.backtranslation.group-id";
  /** Validations taken per poll by one back-translation worker (a batch is processed in parallel). */
  public static final String BACKTRANSLATION_MAX_POLL_RECORDS = "r2e.backtranslation.max-poll-records";
  /** Completion token budget of one back-translation call (R2E-Gym: 12000). */
  public static final String BACKTRANSLATION_MAX_TOKENS = "r2e.backtranslation.max-tokens";
  /** Sampling temperature of back-translation calls; empty = the server's default (reasoning models refuse others). */
  public static final String BACKTRANSLATION_TEMPERATURE = "r2e.backtranslation.temperature";
  /** Whether this process serves Prometheus metrics on {@code GET /metrics} (default true). */
  public static final String METRICS_ENABLED = "r2e.metrics.enabled";
  /** Address the metrics endpoint binds to (default 127.0.0.1: loopback only; 0.0.0.0 for a remote Prometheus). */
  public static final String METRICS_HOST = "r2e.metrics.host";
  /** Port of the metrics endpoint (default 9404; 0 = any free port). */
  public static final String METRICS_PORT = "r2e.metrics.port";

  private ConfigKeys() {
  }
}
