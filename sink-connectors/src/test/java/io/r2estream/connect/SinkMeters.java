package io.r2estream.connect;

import io.micrometer.core.instrument.Counter;
import io.r2estream.metrics.MeterNames;
import io.r2estream.metrics.R2eMetrics;
import java.util.HashMap;
import java.util.Map;

/**
 * A sink's meters as the process registry holds them (the tests' Connect worker runs in the test JVM, and the same
 * registry is what {@code /metrics} serves): records stored per topic and records dead-lettered.
 */
public final class SinkMeters {

  private SinkMeters() {
  }

  /** {@code r2e.records.processed} of {@code component}, by topic. */
  public static Map<String, Double> processedByTopic(final String component) {
    final Map<String, Double> out = new HashMap<>();
    R2eMetrics.registry().find(MeterNames.RECORDS_PROCESSED).tag(MeterNames.COMPONENT, component).counters()
        .forEach(c -> out.merge(c.getId().getTag(MeterNames.TOPIC), c.count(), Double::sum));
    return out;
  }

  /** {@code r2e.records.failed} of {@code component}, every reason. */
  public static double failed(final String component) {
    return R2eMetrics.registry().find(MeterNames.RECORDS_FAILED).tag(MeterNames.COMPONENT, component).counters()
        .stream().mapToDouble(Counter::count).sum();
  }
}
