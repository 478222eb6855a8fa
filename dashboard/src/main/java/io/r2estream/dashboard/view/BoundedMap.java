package io.r2estream.dashboard.view;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Insertion-ordered map that drops its least recently written entry beyond a capacity: what keeps the
 * dashboard's per-task and per-trajectory views bounded however long the topics are.
 */
final class BoundedMap<K, V> extends LinkedHashMap<K, V> {

  private static final long serialVersionUID = 1L;
  private final int capacity;

  BoundedMap(final int capacity) {
    super(16, 0.75f, false);
    this.capacity = capacity;
  }

  /** Stores the value as the newest entry (an update moves the key to the end). */
  V putNewest(final K key, final V value) {
    final V old = remove(key);
    put(key, value);
    return old;
  }

  @Override
  protected boolean removeEldestEntry(final Map.Entry<K, V> eldest) {
    return size() > capacity;
  }
}
