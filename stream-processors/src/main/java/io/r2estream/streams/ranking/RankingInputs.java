package io.r2estream.streams.ranking;

import io.r2estream.avro.CandidatePatch;
import io.r2estream.avro.GradeStatus;
import io.r2estream.avro.JudgeScore;
import io.r2estream.avro.TestScore;
import java.util.Optional;

/**
 * What the ranking takes from each input record, and which records it refuses (dead-lettered with the reason).
 * A verdict that says nothing about the candidate (a test score with INFRA_ERROR, a judge score without P(YES)) is
 * neither defective nor a score: it does not replace an earlier verdict of the candidate.
 */
public final class RankingInputs {

  private RankingInputs() {
  }

  /** Why a candidate record cannot be ranked, if it cannot. */
  public static Optional<String> candidateDefect(final String key, final CandidatePatch v) {
    if (v == null) {
      return Optional.of("candidate record with key '" + key + "' has no value");
    }
    return common(key, v.getTaskId(), v.getCandidateId(), "candidate");
  }

  /** Why a test score cannot be ranked, if it cannot. */
  public static Optional<String> testDefect(final String key, final TestScore v) {
    if (v == null) {
      return Optional.of("test score with key '" + key + "' has no value");
    }
    final Optional<String> c = common(key, v.getTaskId(), v.getCandidateId(), "test score");
    if (c.isPresent()) {
      return c;
    }
    if (v.getRegressionPassed() < 0) {
      return Optional.of("test score of " + v.getCandidateId() + " has a negative regression_passed "
          + v.getRegressionPassed());
    }
    for (final Double d : v.getReproductionScores()) {
      if (d == null || !Double.isFinite(d) || d < 0) {
        return Optional.of("test score of " + v.getCandidateId() + " has a reproduction score " + d
            + " that is not a finite number of at least 0");
      }
    }
    return Optional.empty();
  }

  /** Why a judge score cannot be ranked, if it cannot. */
  public static Optional<String> judgeDefect(final String key, final JudgeScore v) {
    if (v == null) {
      return Optional.of("judge score with key '" + key + "' has no value");
    }
    final Optional<String> c = common(key, v.getTaskId(), v.getCandidateId(), "judge score");
    if (c.isPresent()) {
      return c;
    }
    final Double p = v.getPYes();
    if (p != null && !(p >= 0 && p <= 1)) {
      return Optional.of("judge score of " + v.getCandidateId() + " has p_yes " + p + " outside [0, 1]");
    }
    return Optional.empty();
  }

  /** Whether a sound test score is a verdict on the candidate (INFRA_ERROR is not). */
  public static boolean isVerdict(final TestScore v) {
    return v.getStatus() != GradeStatus.INFRA_ERROR;
  }

  /** Whether a sound judge score is a verdict on the candidate (one without P(YES) is not). */
  public static boolean isVerdict(final JudgeScore v) {
    return v.getPYes() != null;
  }

  public static RankingState.Candidate candidate(final CandidatePatch v) {
    return new RankingState.Candidate(v.getCandidateId(), v.getTaskId(), v.getModel(), v.getPatch(), v.getReward(),
        v.getCreatedAt().toEpochMilli());
  }

  /** The verdict; without any generated test patch there is no reproduction score (null), not a score of 0. */
  public static RankingState.TestVerdict test(final TestScore v) {
    Double reproduction = v.getReproductionScores().isEmpty() ? null : 0.0;
    for (final double d : v.getReproductionScores()) {
      reproduction += d;
    }
    return new RankingState.TestVerdict(v.getRegressionPassed(), reproduction, v.getTestScore(),
        v.getHiddenReward(), v.getScoredAt().toEpochMilli());
  }

  public static RankingState.JudgeVerdict judge(final JudgeScore v) {
    return new RankingState.JudgeVerdict(v.getPYes(), v.getScoredAt().toEpochMilli());
  }

  private static Optional<String> common(final String key, final String taskId, final String candidateId,
      final String what) {
    if (candidateId == null || candidateId.isBlank()) {
      return Optional.of(what + " with key '" + key + "' has no candidate_id");
    }
    if (taskId.indexOf(HybridRankingTopology.KEY_SEPARATOR) >= 0) {
      return Optional.of(what + " of " + candidateId + ": the task id contains a NUL character");
    }
    if (!taskId.equals(key)) {
      return Optional.of(what + " of " + candidateId + ": key '" + key + "' is not the task id '" + taskId + "'");
    }
    return Optional.empty();
  }
}
