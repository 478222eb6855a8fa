package io.r2estream.registry;

import java.util.Map;

/**
 * Picks the client for a registry URL: {@code mock://scope} is in memory; {@code http(s)://} URLs (comma-separated
 * for several servers of one registry) speak the Confluent REST API.
 */
public final class SchemaRegistryClients {

  /** Confluent's config key, so existing client configurations carry over. */
  public static final String URL_CONFIG = "schema.registry.url";
  public static final String MOCK_PREFIX = "mock://";

  private SchemaRegistryClients() {
  }

  public static SchemaRegistryClient forUrl(final String url, final Map<String, ?> configs) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("'" + URL_CONFIG + "' is required");
    }
    if (url.startsWith(MOCK_PREFIX)) {
      return InMemorySchemaRegistryClient.scope(url.substring(MOCK_PREFIX.length()));
    }
    if (url.startsWith("http://") || url.startsWith("https://")) {
      return new RestSchemaRegistryClient(url, configs);
    }
    throw new IllegalArgumentException("'" + URL_CONFIG + "' must be mock://<scope> or http(s):// URLs, got '"
        + url + "'");
  }
}
