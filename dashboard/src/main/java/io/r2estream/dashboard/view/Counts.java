package io.r2estream.dashboard.view;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Counts by label (a rejection rule, a validation status, an exit reason), listed in label order. */
final class Counts {

  private final Map<String, Long> counts = new TreeMap<>();

  void add(final String label) {
    counts.merge(label == null || label.isBlank() ? "(none)" : label, 1L, Long::sum);
  }

  long get(final String label) {
    return counts.getOrDefault(label, 0L);
  }

  Map<String, Long> toMap() {
    return new LinkedHashMap<>(counts);
  }
}
