package io.r2estream.streams.ranking;

import java.util.Objects;

/**
 * What the verifiers say about one candidate patch of a task, each score null until its verifier has spoken.
 *
 * @param candidateId  the candidate (its rollout id)
 * @param regression   execution-based regression score: existing tests of the repository that pass with the patch
 *                     (never the hidden FAIL_TO_PASS tests)
 * @param reproduction execution-based reproduction score: "Issue resolved" count over the generated tests
 * @param judge        execution-free score: the judge's P(YES)
 * @param groundTruth  1.0 / 0.0 when it is known whether the candidate resolves the task (evaluation only; never
 *                     used to rank), null otherwise
 */
public record CandidateScores(String candidateId, Double regression, Double reproduction, Double judge,
    Double groundTruth) {

  public CandidateScores {
    Objects.requireNonNull(candidateId, "candidateId");
  }
}
