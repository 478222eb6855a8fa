package io.r2estream.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The process-wide meter registry that {@code GET /metrics} shows ({@link MetricsServer}), and the few ways the
 * platform counts into a registry. Classes that count take a {@link MeterRegistry} (tests may pass their own) and
 * default to {@link #registry()}; meter names come from {@link MeterNames}.
 */
public final class R2eMetrics {

  private static final PrometheusMeterRegistry REGISTRY = jvmBound(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  /** Gauge values per registry and meter id: a gauge only holds its value weakly, so someone must hold it. */
  private static final Map<MeterRegistry, Map<Meter.Id, AtomicLong>> LEVELS = new WeakHashMap<>();

  private R2eMetrics() {
  }

  /** The registry of this process, with JVM memory, thread, class-loader, CPU and uptime meters bound. */
  public static PrometheusMeterRegistry registry() {
    return REGISTRY;
  }

  /** {@link MeterNames#RECORDS_PROCESSED} of {@code component} for records from {@code topic}. */
  public static Counter processed(final MeterRegistry registry, final String component, final String topic) {
    return Counter.builder(MeterNames.RECORDS_PROCESSED).description("input records a component finished with")
        .tags(MeterNames.COMPONENT, component, MeterNames.TOPIC, topic).register(registry);
  }

  /** {@link MeterNames#RECORDS_FAILED} of {@code component}, the reason being the error's simple class name. */
  public static Counter failed(final MeterRegistry registry, final String component, final Throwable error) {
    return failed(registry, component, error.getClass().getSimpleName());
  }

  public static Counter failed(final MeterRegistry registry, final String component, final String reason) {
    return Counter.builder(MeterNames.RECORDS_FAILED).description("records a component dead-lettered or reported")
        .tags(MeterNames.COMPONENT, component, MeterNames.REASON, reason).register(registry);
  }

  /** A timer named from {@link MeterNames} with tags as key, value pairs. */
  public static Timer timer(final MeterRegistry registry, final String name, final String... tags) {
    return Timer.builder(name).tags(tags).register(registry);
  }

  /**
   * The value behind a gauge shared by every caller asking for the same name and tags in {@code registry}, e.g.
   * containers running over all container runtimes of the process; callers add and subtract.
   */
  public static AtomicLong level(final MeterRegistry registry, final String name, final String description,
      final String... tags) {
    final Meter.Id id = new Meter.Id(name, Tags.of(tags), null, description, Meter.Type.GAUGE);
    final Map<Meter.Id, AtomicLong> levels;
    synchronized (LEVELS) {
      levels = LEVELS.computeIfAbsent(registry, r -> new ConcurrentHashMap<>());
    }
    return levels.computeIfAbsent(id, i -> {
      final AtomicLong value = new AtomicLong();
      Gauge.builder(name, value, AtomicLong::doubleValue).description(description).tags(tags).strongReference(true)
          .register(registry);
      return value;
    });
  }

  private static PrometheusMeterRegistry jvmBound(final PrometheusMeterRegistry registry) {
    // Cheap, pull-only binders; GC pause meters are left out (they install JMX notification listeners).
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return registry;
  }
}
