package io.r2estream.deploy.cli;

import io.r2estream.avro.HybridRanking;
import io.r2estream.avro.RankedCandidate;
import io.r2estream.producers.tasks.TaskTopicReader;
import io.r2estream.topics.Topics;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The end of {@code r2e demo}: waits (bounded) until {@code r2e.rankings} holds, for every task the demo rolled out,
 * a ranking listing each of its candidates with a test score (and a judge score when the judge runs), then prints
 * one compact table per task: the candidates in rank order with their regression, reproduction and judge scores and
 * the ground truth, the selection and whether it resolves the task.
 */
final class DemoRankings {

  /** Between two reads of the rankings topic. */
  private static final Duration POLL = Duration.ofSeconds(1);

  /**
   * What the wait found.
   *
   * @param byTask        latest ranking per task the demo asked for (absent when none came)
   * @param waitingFor    tasks whose ranking does not (yet) cover all their candidates with test scores
   * @param judgeMissing  candidates that have a test score but no judge score although the judge runs
   */
  record Outcome(Map<String, HybridRanking> byTask, List<String> waitingFor, int judgeMissing) {

    boolean complete() {
      return waitingFor.isEmpty();
    }

    long resolving() {
      return byTask.values().stream().filter(r -> Boolean.TRUE.equals(r.getSelectionResolves())).count();
    }
  }

  private DemoRankings() {
  }

  /**
   * Reads the rankings until every task's candidates are all listed with a test score, and with a judge score when
   * {@code judgeOn}, or until {@code timeout}: then what exists is returned, test scores alone counting as enough
   * (a judge that failed on a candidate leaves its score missing for good).
   *
   * @param candidates task id → the candidate ids (rollout ids) the demo produced for it
   */
  static Outcome collect(final Map<String, Object> kafkaClient, final String registryUrl, final Map<String, Set<String>> candidates,
      final boolean judgeOn, final Duration timeout) {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      final Map<String, HybridRanking> latest = TaskTopicReader.latest(kafkaClient, registryUrl, Topics.RANKINGS,
          ConsumerRecord::key);
      final Map<String, HybridRanking> byTask = new LinkedHashMap<>();
      final List<String> waiting = new ArrayList<>();
      int judgeMissing = 0;
      for (final Map.Entry<String, Set<String>> e : candidates.entrySet()) {
        final HybridRanking r = latest.get(e.getKey());
        if (r != null) {
          byTask.put(e.getKey(), r);
        }
        if (r == null || !testScored(r, e.getValue())) {
          waiting.add(e.getKey());
        } else if (judgeOn) {
          judgeMissing += (int) r.getCandidates().stream().filter(c -> e.getValue().contains(c.getCandidateId())
              && c.getJudgeScore() == null).count();
        }
      }
      final Outcome o = new Outcome(byTask, waiting, judgeMissing);
      if ((o.complete() && judgeMissing == 0) || System.nanoTime() > deadline) {
        return o;
      }
      LockSupport.parkNanos(POLL.toNanos());
    }
  }

  private static boolean testScored(final HybridRanking r, final Set<String> ids) {
    final Set<String> listed = new java.util.HashSet<>();
    for (final RankedCandidate c : r.getCandidates()) {
      if (c.getRegressionScore() != null) {
        listed.add(c.getCandidateId());
      }
    }
    return listed.containsAll(ids);
  }

  /** One block per task (in the order of {@code tasks}), then the count of selections that resolve their task. */
  static void print(final Outcome o, final List<String> tasks, final PrintStream out) {
    for (final String task : tasks) {
      final HybridRanking r = o.byTask().get(task);
      if (r == null) {
        out.printf("  %s  no ranking yet%n", task);
        continue;
      }
      final Boolean resolves = r.getSelectionResolves();
      out.printf("  %s  %s, k=%d: selected %s, resolves: %s%n", task, r.getMode(), r.getK(),
          shortId(task, r.getBestCandidateId()), resolves == null ? "unknown" : resolves ? "yes" : "no");
      out.printf("    %4s  %-24s %10s %12s %6s %5s%n", "RANK", "CANDIDATE", "REGRESSION", "REPRODUCTION", "JUDGE",
          "TRUTH");
      for (final RankedCandidate c : r.getCandidates()) {
        out.printf("    %4d  %-24s %10s %12s %6s %5s%n", c.getRank(), shortId(task, c.getCandidateId()),
            num(c.getRegressionScore(), "%.0f"), num(c.getReproductionScore(), "%.0f"),
            num(c.getJudgeScore(), "%.2f"), num(c.getGroundTruth(), "%.0f"));
      }
      out.println("    tie-break: " + r.getTieBreak());
    }
    out.printf("  selections that resolve their task: %d of %d%n", o.resolving(), tasks.size());
    if (!o.complete()) {
      out.printf("  not every candidate scored in time: %s%n", String.join(", ", o.waitingFor()));
    }
    if (o.judgeMissing() > 0) {
      out.printf("  %d candidate(s) without a judge score (see r2e.scores.judge for the reason)%n", o.judgeMissing());
    }
  }

  /** A candidate id without its task prefix ({@code run/sample}), which the table's header already names. */
  static String shortId(final String task, final String candidateId) {
    if (candidateId == null) {
      return "-";
    }
    return candidateId.startsWith(task + "/") ? candidateId.substring(task.length() + 1) : candidateId;
  }

  private static String num(final Double v, final String format) {
    return v == null ? "-" : String.format(Locale.ROOT, format, v);
  }
}
