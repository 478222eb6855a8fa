package io.r2estream.streams.ranking;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ranking topology's internal values: what it keeps of each input per candidate (the big fields of the inputs,
 * such as a test score's test results, are never stored), a candidate with its verdicts, and a task's candidate set. Stored by {@link RankingEntrySerde}: internal stores only, no registry.
 */
public final class RankingState {

  private RankingState() {
  }

  /**
   * A candidate patch.
   *
   * @param reward    ground truth from the rollout's hidden-test grade, null when unknown
   * @param eventTime the candidate's {@code created_at}, epoch ms
   */
  public record Candidate(String candidateId, String taskId, String model, String patch, Double reward,
      long eventTime) {
  }

  /**
   * The execution-based verdict on a candidate.
   *
   * @param regression   existing tests passing with the patch ({@code regression_passed})
   * @param reproduction "Issue resolved" count over the generated tests (sum of {@code reproduction_scores}); null
   *                     when the candidate was scored without any generated test
   * @param testScore    the verifier's own {@code test_score}
   * @param hiddenReward the hidden-test reward the verifier reports, null when unknown
   * @param eventTime    {@code scored_at}, epoch ms
   */
  public record TestVerdict(double regression, Double reproduction, double testScore, Double hiddenReward,
      long eventTime) {
  }

  /**
   * The execution-free verdict on a candidate.
   *
   * @param pYes      the judge's P(YES)
   * @param eventTime {@code scored_at}, epoch ms
   */
  public record JudgeVerdict(double pYes, long eventTime) {
  }

  /**
   * A candidate with whatever verdicts it has so far (null = not yet). In the ranking's store the candidate itself
   * is null while only its verdicts have arrived; the methods below are for entries with a candidate.
   */
  public record Scored(Candidate candidate, TestVerdict test, JudgeVerdict judge) {

    /** The left join of a candidate with its test verdict. */
    public static Scored of(final Candidate candidate, final TestVerdict test) {
      return new Scored(candidate, test, null);
    }

    /** This with the judge verdict of the second left join. */
    public Scored withJudge(final JudgeVerdict verdict) {
      return new Scored(candidate, test, verdict);
    }

    /** Ground truth: the rollout's reward, else the one the test verifier reports; null when neither knows. */
    public Double groundTruth() {
      if (candidate.reward() != null) {
        return candidate.reward();
      }
      return test == null ? null : test.hiddenReward();
    }

    /** The latest event time among the candidate and its verdicts. */
    public long eventTime() {
      long t = candidate.eventTime();
      if (test != null) {
        t = Math.max(t, test.eventTime());
      }
      if (judge != null) {
        t = Math.max(t, judge.eventTime());
      }
      return t;
    }

    /** The scores the selection rules compare. */
    public CandidateScores scores() {
      return new CandidateScores(candidate.candidateId(), test == null ? null : test.regression(),
          test == null ? null : test.reproduction(), judge == null ? null : judge.pYes(), groundTruth());
    }
  }

  /**
   * A task's candidates by candidate id (sorted, so the JSON and the ranking are the same on every replay).
   * Aggregation replaces or removes one candidate at a time, so an update never counts a candidate twice.
   */
  public record TaskCandidates(TreeMap<String, Scored> byId) {

    public static TaskCandidates empty() {
      return new TaskCandidates(new TreeMap<>());
    }

    /** A copy with {@code s} in place of any earlier value of its candidate. */
    public TaskCandidates with(final Scored s) {
      final TreeMap<String, Scored> m = new TreeMap<>(byId);
      m.put(s.candidate().candidateId(), s);
      return new TaskCandidates(m);
    }

    /** A copy without the candidate. */
    public TaskCandidates without(final String candidateId) {
      final TreeMap<String, Scored> m = new TreeMap<>(byId);
      m.remove(candidateId);
      return new TaskCandidates(m);
    }

    public Collection<Scored> all() {
      return Collections.unmodifiableCollection(byId.values());
    }

    public Map<String, Scored> view() {
      return Collections.unmodifiableMap(byId);
    }
  }
}
