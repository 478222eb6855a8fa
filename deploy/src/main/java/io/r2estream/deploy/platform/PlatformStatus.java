package io.r2estream.deploy.platform;

import java.util.Map;

/** What the platform runs and where; served by {@code GET /api/platform}. */
public final class PlatformStatus {

  private final Map<String, String> endpoints;

  PlatformStatus(final Map<String, String> endpoints) {
    this.endpoints = endpoints;
  }

  public Map<String, String> endpoints() {
    return Map.copyOf(endpoints);
  }
}
