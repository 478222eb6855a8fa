package io.r2estream.embedded.registry;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts requests per "METHOD path", so operators and tests can see how often clients call the registry. */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(beans = KafkaSchemaStore.class)
public final class RequestCounter {

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  @RequestFilter
  void count(final HttpRequest<?> request) {
    counts.computeIfAbsent(request.getMethodName() + " " + request.getPath(), k -> new LongAdder()).increment();
  }

  /** Requests so far whose "METHOD path" starts with the prefix, e.g. {@code "POST /subjects/"}. */
  long count(final String prefix) {
    return counts.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(e -> e.getValue().sum()).sum();
  }
}
