package io.r2estream.deploy.platform;

import io.r2estream.config.ConfigKeys;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The parts of the platform one process can run, selected by {@link ConfigKeys#COMPONENTS}. The embedded default
 * runs them all in one JVM; a distributed deployment runs the same image once per role (a rollout-worker container
 * sets {@code r2e.components=rollout}) and scales each role by adding processes to its consumer group.
 *
 * <p>Embedded stand-ins follow the selection: the broker and the schema registry start only when their address is
 * not configured, PostgreSQL only when it is not configured and this process hosts the Connect worker (its only
 * user here).
 */
public enum PlatformComponent {
  /** The schema registry server (started only when {@link ConfigKeys#REGISTRY_URL} is blank). */
  REGISTRY("registry"),
  /** Kafka Connect worker with the PostgreSQL and dataset sinks. */
  CONNECT("connect"),
  /** Every Kafka Streams topology, and the rankings query server. */
  STREAMS("streams"),
  /** Problem statements from the LLM (or commit messages without one). */
  BACK_TRANSLATOR("back-translator"),
  /** The execution-free verifier. */
  JUDGE("judge"),
  /** SWE-GEN environment builders and validators (Docker). */
  SWE_GEN("swe-gen"),
  /** Rollout workers running the editing agent (Docker). */
  ROLLOUT("rollout"),
  /** Testing agents and the execution verifier (Docker). */
  VERIFIERS("verifiers"),
  /** The live dashboards. */
  DASHBOARD("dashboard"),
  /** The HTTP API (push ingestion, status). */
  HTTP("http");

  /** The value that selects every component. */
  public static final String ALL = "all";

  private final String configName;

  PlatformComponent(final String configName) {
    this.configName = configName;
  }

  /** The name used in {@link ConfigKeys#COMPONENTS}. */
  public String configName() {
    return configName;
  }

  /**
   * The components named by {@link ConfigKeys#COMPONENTS} in {@code properties}, every one when it is absent, blank
   * or {@code all}.
   *
   * @throws IllegalArgumentException naming the unknown value and the known ones
   */
  public static Set<PlatformComponent> selected(final Map<String, ?> properties) {
    final Object raw = properties.get(ConfigKeys.COMPONENTS);
    final String value = raw == null ? "" : String.valueOf(raw).trim();
    if (value.isEmpty() || value.equalsIgnoreCase(ALL)) {
      return EnumSet.allOf(PlatformComponent.class);
    }
    final Set<PlatformComponent> out = EnumSet.noneOf(PlatformComponent.class);
    for (final String part : value.split(",")) {
      final String name = part.trim().toLowerCase(Locale.ROOT);
      if (!name.isEmpty()) {
        out.add(Arrays.stream(values()).filter(c -> c.configName.equals(name)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("'" + ConfigKeys.COMPONENTS + "' names unknown component '"
                + part.trim() + "'; known: " + ALL + ", " + Arrays.stream(values()).map(PlatformComponent::configName)
                .collect(Collectors.joining(", ")))));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("'" + ConfigKeys.COMPONENTS + "' names no component: '" + value + "'");
    }
    return out;
  }

  /** Whether {@code properties} name components explicitly (not {@code all}). */
  public static boolean explicit(final Map<String, ?> properties) {
    final Object raw = properties.get(ConfigKeys.COMPONENTS);
    final String value = raw == null ? "" : String.valueOf(raw).trim();
    return !value.isEmpty() && !value.equalsIgnoreCase(ALL);
  }
}
