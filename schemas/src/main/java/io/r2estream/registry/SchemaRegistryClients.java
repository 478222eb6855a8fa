package io.r2estream.registry;

import java.util.Map;

/** Picks the client for a registry URL: {@code mock://scope} is in memory, anything else speaks REST. */
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
    throw new UnsupportedOperationException("REST schema registry client not written yet: " + url);
  }
}
