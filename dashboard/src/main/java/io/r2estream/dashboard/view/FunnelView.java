package io.r2estream.dashboard.view;

import io.r2estream.avro.CommitRejection;
import io.r2estream.avro.EnvValidation;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment-generation funnel: commits → candidates → validations → tasks, with the rejection rules and
 * validation verdicts that explain the drops. Counts records read: on the compacted topics a re-ingested key is
 * counted again until the broker compacts it away.
 */
public final class FunnelView {

  private long commits;
  private long rejected;
  private long candidates;
  private long validations;
  private long tasks;
  private final Counts rejectionsByRule = new Counts();
  private final Counts validationsByStatus = new Counts();

  void commit() {
    commits++;
  }

  void rejection(final CommitRejection r) {
    rejected++;
    rejectionsByRule.add(r.getRule());
  }

  void candidate() {
    candidates++;
  }

  void validation(final EnvValidation v) {
    validations++;
    validationsByStatus.add(v.getStatus().name());
  }

  void task() {
    tasks++;
  }

  public long commits() {
    return commits;
  }

  public long rejected() {
    return rejected;
  }

  public long tasks() {
    return tasks;
  }

  Map<String, Object> toJson() {
    final Map<String, Object> m = new LinkedHashMap<>();
    m.put("commits", commits);
    m.put("rejected", rejected);
    m.put("candidates", candidates);
    m.put("validations", validations);
    m.put("tasks", tasks);
    m.put("rejectionsByRule", rejectionsByRule.toMap());
    m.put("validationsByStatus", validationsByStatus.toMap());
    return m;
  }
}
