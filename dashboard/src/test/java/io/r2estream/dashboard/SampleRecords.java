package io.r2estream.dashboard;

import io.r2estream.avro.CandidatePatch;
import io.r2estream.avro.CommitEvent;
import io.r2estream.avro.CommitRejection;
import io.r2estream.avro.EnvironmentRef;
import io.r2estream.avro.EnvValidation;
import io.r2estream.avro.GradeStatus;
import io.r2estream.avro.HybridRanking;
import io.r2estream.avro.JudgeScore;
import io.r2estream.avro.RankedCandidate;
import io.r2estream.avro.TaskInstance;
import io.r2estream.avro.TestScore;
import io.r2estream.avro.Trajectory;
import io.r2estream.avro.TrajectoryStep;
import io.r2estream.avro.ValidationStatus;
import java.time.Instant;
import java.util.List;

/** Small but complete Avro records of the topics the dashboard reads. */
public final class SampleRecords {

  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

  private SampleRecords() {
  }

  public static CommitEvent commit(final String repo, final String sha) {
    return CommitEvent.newBuilder().setRepository(repo).setSha(sha).setAuthorTime(T0).setCommitTime(T0)
        .setIngestedAt(T0).build();
  }

  public static CommitRejection rejection(final String repo, final String sha, final String rule) {
    return CommitRejection.newBuilder().setTaskId(repo + "@" + sha).setRepository(repo).setCommitSha(sha)
        .setRule(rule).setReason("rejected by " + rule).setRejectedAt(T0).build();
  }

  public static EnvValidation validation(final String repo, final String sha, final ValidationStatus status) {
    return EnvValidation.newBuilder().setTaskId(repo + "@" + sha).setRepository(repo).setCommitSha(sha)
        .setStatus(status).setValidatedAt(T0).build();
  }

  public static TaskInstance task(final String id) {
    return TaskInstance.newBuilder().setInstanceId(id).setRepo(id.substring(0, id.indexOf('@')))
        .setBaseCommit("base-" + id.hashCode()).setPatch("--- a/pkg/mod.py\n+++ b/pkg/mod.py\n+gold fix of " + id)
        .setTestPatch("+def test_fix(): pass").setProblemStatement("Bug in " + id)
        .setFAILTOPASS(List.of("tests/test_mod.py::test_fix")).setPASSTOPASS(List.of("tests/test_mod.py::test_a",
            "tests/test_mod.py::test_b"))
        .setCreatedAt(T0).setCommitHash("c-" + id.hashCode())
        .setEnvironment(EnvironmentRef.newBuilder().setImage("r2e-env/sample:1").setTestCommand("pytest -rA").build())
        .build();
  }

  public static Trajectory trajectory(final String taskId, final int sample, final String exitReason,
      final Double reward) {
    final String rolloutId = taskId + "/run-1/" + sample;
    final TrajectoryStep step = TrajectoryStep.newBuilder().setRolloutId(rolloutId).setTaskId(taskId).setStepIdx(0)
        .setThought("Look at the failing module " + sample).setAction("<function=file_editor>view</function>")
        .setObservation("def mod(): return " + sample).build();
    return Trajectory.newBuilder().setRolloutId(rolloutId).setTaskId(taskId).setRunId("run-1").setSample(sample)
        .setModel("scripted").setSteps(List.of(step)).setExitReason(exitReason).setReward(reward)
        .setOutputPatch("+agent fix " + sample).setTestOutput("1 passed (sample " + sample + ")")
        .setPromptTokens(100).setCompletionTokens(20).setStartedAt(T0).setFinishedAt(T0.plusSeconds(4)).build();
  }

  public static CandidatePatch candidate(final String taskId, final int sample, final String exitReason) {
    return CandidatePatch.newBuilder().setCandidateId(taskId + "/run-1/" + sample).setTaskId(taskId)
        .setRunId("run-1").setSample(sample).setPatch("+agent fix " + sample).setExitReason(exitReason)
        .setCreatedAt(T0).build();
  }

  public static TestScore testScore(final String taskId, final String candidateId, final double score) {
    return TestScore.newBuilder().setCandidateId(candidateId).setTaskId(taskId)
        .setStatus(score > 0 ? GradeStatus.PASS : GradeStatus.FAIL).setTestScore(score).setScoredAt(T0).build();
  }

  /** A test score with the regression count and the hidden-test reward, which Best@K evaluates. */
  public static TestScore testScore(final String taskId, final String candidateId, final double score,
      final int regressionPassed, final double hiddenReward) {
    return TestScore.newBuilder(testScore(taskId, candidateId, score)).setRegressionPassed(regressionPassed)
        .setRegressionTotal(10).setHiddenReward(hiddenReward).build();
  }

  public static JudgeScore judgeScore(final String taskId, final String candidateId, final double pYes) {
    return JudgeScore.newBuilder().setCandidateId(candidateId).setTaskId(taskId).setModel("judge")
        .setStatus(GradeStatus.PASS).setPYes(pYes).setScoredAt(T0).build();
  }

  public static HybridRanking ranking(final String taskId, final List<String> candidatesBestFirst,
      final boolean resolves) {
    final int k = candidatesBestFirst.size();
    final List<RankedCandidate> ranked = new java.util.ArrayList<>();
    for (int i = 0; i < k; i++) {
      ranked.add(RankedCandidate.newBuilder().setCandidateId(candidatesBestFirst.get(i)).setRank(i + 1)
          .setHybridScore((double) (k - i) / k).build());
    }
    return HybridRanking.newBuilder().setTaskId(taskId).setCandidates(ranked)
        .setBestCandidateId(candidatesBestFirst.get(0)).setK(k).setSelectionResolves(resolves)
        .setScoredCandidates(k).setUpdatedAt(T0).build();
  }
}
