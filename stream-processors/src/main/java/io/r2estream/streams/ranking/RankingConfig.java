package io.r2estream.streams.ranking;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Settings of the hybrid ranking: which {@link SelectionMode} orders the published rankings (every record also
 * carries the other modes' selections), the weights of {@link SelectionMode#WEIGHTED}, and the port of the
 * interactive-query endpoint.
 *
 * @param mode     the primary mode (default {@link SelectionMode#HYBRID}, the paper's rule)
 * @param weights  weights of the WEIGHTED mode (default 1, 1, 1)
 * @param httpPort port of {@code GET /rankings/{taskId}} on localhost; 0 = a free port, logged at start-up
 * @param emitIntervalMs how often the rankings of tasks whose inputs changed are computed and emitted, in ms of wall
 *                 clock (default 100, the exactly-once commit interval); 0 = on every changed input
 */
public record RankingConfig(SelectionMode mode, SelectionRules.Weights weights, int httpPort, long emitIntervalMs) {

  private static final String PREFIX = "r2e.ranking.";
  /** The primary selection mode: hybrid, eb, ef or weighted. */
  public static final String MODE_CONFIG = PREFIX + "mode";
  /** Weight of the judge's P(YES) in the weighted mode. */
  public static final String WEIGHT_JUDGE_CONFIG = PREFIX + "weights.judge";
  /** Weight of the regression score (divided by the task's maximum) in the weighted mode. */
  public static final String WEIGHT_REGRESSION_CONFIG = PREFIX + "weights.regression";
  /** Weight of the reproduction score (divided by the task's maximum) in the weighted mode. */
  public static final String WEIGHT_REPRODUCTION_CONFIG = PREFIX + "weights.reproduction";
  /** Port of the rankings interactive-query endpoint on localhost (0 = any free port, logged at start-up). */
  public static final String HTTP_PORT_CONFIG = PREFIX + "http-port";
  /** Ms between emissions of the changed tasks' rankings (0 = one ranking per changed input). */
  public static final String EMIT_INTERVAL_CONFIG = PREFIX + "emit-interval-ms";
  /** The default emit interval: Kafka Streams' commit interval under exactly-once. */
  public static final long DEFAULT_EMIT_INTERVAL_MS = 100;

  public RankingConfig {
    if (mode == null || weights == null) {
      throw new IllegalArgumentException("a ranking configuration needs a mode and weights");
    }
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException(HTTP_PORT_CONFIG + "=" + httpPort + " is not a port (0-65535)");
    }
    if (emitIntervalMs < 0) {
      throw new IllegalArgumentException(EMIT_INTERVAL_CONFIG + "=" + emitIntervalMs + " is negative");
    }
  }

  /** The paper's rule, equal weights, a free port, rankings every 100 ms. */
  public static RankingConfig defaults() {
    return new RankingConfig(SelectionMode.HYBRID, SelectionRules.Weights.EQUAL, 0, DEFAULT_EMIT_INTERVAL_MS);
  }

  /** This configuration with another emit interval. */
  public RankingConfig withEmitIntervalMs(final long ms) {
    return new RankingConfig(mode, weights, httpPort, ms);
  }

  /** Reads the {@code r2e.ranking.*} keys; absent keys keep their defaults; every bad value is reported at once. */
  public static RankingConfig fromProperties(final Map<String, ?> props) {
    final RankingConfig d = defaults();
    final List<String> errors = new ArrayList<>();
    final SelectionMode mode = mode(props.get(MODE_CONFIG), d.mode(), errors);
    final SelectionRules.Weights w = new SelectionRules.Weights(
        number(props, WEIGHT_JUDGE_CONFIG, d.weights().judge(), errors),
        number(props, WEIGHT_REGRESSION_CONFIG, d.weights().regression(), errors),
        number(props, WEIGHT_REPRODUCTION_CONFIG, d.weights().reproduction(), errors));
    final double port = number(props, HTTP_PORT_CONFIG, d.httpPort(), errors);
    if (port != Math.rint(port) || port < 0 || port > 65535) {
      errors.add(HTTP_PORT_CONFIG + "='" + props.get(HTTP_PORT_CONFIG) + "' is not a port (0-65535)");
    }
    final double interval = number(props, EMIT_INTERVAL_CONFIG, d.emitIntervalMs(), errors);
    if (interval != Math.rint(interval)) {
      errors.add(EMIT_INTERVAL_CONFIG + "='" + props.get(EMIT_INTERVAL_CONFIG) + "' is not a whole number of ms");
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("invalid ranking configuration: " + String.join("; ", errors));
    }
    return new RankingConfig(mode, w, (int) port, (long) interval);
  }

  /** Every config key of this class, for documentation and validation. */
  public static List<String> keys() {
    return List.of(MODE_CONFIG, WEIGHT_JUDGE_CONFIG, WEIGHT_REGRESSION_CONFIG, WEIGHT_REPRODUCTION_CONFIG,
        HTTP_PORT_CONFIG, EMIT_INTERVAL_CONFIG);
  }

  private static SelectionMode mode(final Object v, final SelectionMode fallback, final List<String> errors) {
    if (v == null || v.toString().isBlank()) {
      return fallback;
    }
    try {
      return SelectionMode.valueOf(v.toString().trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      errors.add(MODE_CONFIG + "='" + v + "' is not hybrid, eb, ef or weighted");
      return fallback;
    }
  }

  private static double number(final Map<String, ?> props, final String key, final double fallback,
      final List<String> errors) {
    final Object v = props.get(key);
    if (v == null || v.toString().isBlank()) {
      return fallback;
    }
    try {
      final double d = v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString().trim());
      if (!Double.isFinite(d) || d < 0) {
        errors.add(key + "='" + v + "' is not a finite number of at least 0");
        return fallback;
      }
      return d;
    } catch (NumberFormatException e) {
      errors.add(key + "='" + v + "' is not a number");
      return fallback;
    }
  }
}
