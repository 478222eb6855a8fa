package io.r2estream.verifier.judge;

import io.r2estream.avro.GradeStatus;
import io.r2estream.avro.JudgeScore;
import io.r2estream.avro.Trajectory;
import io.r2estream.llm.ChatRequest;
import io.r2estream.llm.ChatResponse;
import io.r2estream.llm.LlmClient;
import io.r2estream.llm.LlmException;
import io.r2estream.metrics.MeterNames;
import io.r2estream.metrics.R2eMetrics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The execution-free verifier for one candidate (reference 5.2): builds the judge's messages from the trajectory
 * ({@link JudgeInput}), asks the judge model at temperature 0 for its answer with the top {@value #TOP_LOGPROBS}
 * log-probabilities per token, and reads P(YES) from them ({@link Verdict}).
 *
 * <p>The score's status: PASS when P(YES) &ge; 0.5, FAIL below; ERROR when the answer gives no verdict or the
 * endpoint refused the request (a 4xx other than 408/429, e.g. a message over the model's context); INFRA_ERROR
 * when no answer came (retries exhausted, I/O errors). Without a verdict {@code p_yes} is null and {@code detail}
 * says why: the ranking treats the candidate's judge score as missing.
 */
public final class Judge {

  public static final int TOP_LOGPROBS = ChatRequest.MAX_TOP_LOGPROBS;
  /** P(YES) from which the verdict counts as PASS. */
  public static final double PASS_THRESHOLD = 0.5;

  private final LlmClient llm;
  private final JudgePrompt prompt;
  private final int maxContextTokens;
  private final int maxTokens;
  private final Clock clock;

  public Judge(final LlmClient llm, final JudgePrompt prompt, final int maxContextTokens, final int maxTokens,
      final Clock clock) {
    this.llm = llm;
    this.prompt = prompt;
    this.maxContextTokens = maxContextTokens;
    this.maxTokens = maxTokens;
    this.clock = clock;
  }

  /** A judge with the standard prompt and the settings' context and completion budgets. */
  public static Judge of(final LlmClient llm, final JudgeConfig config, final Clock clock) {
    return new Judge(llm, JudgePrompt.standard(), config.maxContextTokens(), config.maxTokens(), clock);
  }

  /** Judges one candidate: the trajectory that produced it; candidate id = rollout id. */
  public JudgeScore score(final Trajectory trajectory) {
    final JudgeInput input = JudgeInput.of(prompt, trajectory, maxContextTokens);
    final JudgeScore.Builder score = JudgeScore.newBuilder().setCandidateId(trajectory.getRolloutId())
        .setTaskId(trajectory.getTaskId()).setModel(llm.config().model()).setCondensed(input.condensed());
    final List<String> notes = new ArrayList<>();
    final long start = System.nanoTime();
    try {
      final ChatResponse response = llm.chat(new ChatRequest(input.messages(), 0.0, maxTokens)
          .withLogprobs(TOP_LOGPROBS));
      final Verdict v = Verdict.of(response);
      notes.add(v.detail());
      score.setPYes(v.pYes()).setLogprobYes(v.logprobYes()).setLogprobNo(v.logprobNo()).setSource(v.source())
          .setStatus(!v.readable() ? GradeStatus.ERROR : v.pYes() >= PASS_THRESHOLD ? GradeStatus.PASS
              : GradeStatus.FAIL)
          .setPromptTokens(response.usage().promptTokens()).setCompletionTokens(response.usage().completionTokens())
          .setLatencyMs(response.latency().toMillis());
      if (!response.model().isEmpty()) {
        score.setModel(response.model());
      }
    } catch (LlmException e) {
      final boolean refused = e.status() / 100 == 4 && e.status() != 408 && e.status() != 429;
      notes.add(e.getMessage());
      score.setStatus(refused ? GradeStatus.ERROR : GradeStatus.INFRA_ERROR)
          .setLatencyMs((System.nanoTime() - start) / 1_000_000);
    }
    if (input.condensed() > 0) {
      notes.add("condensed " + input.condensedThoughts() + " thought(s) and " + input.condensedObservations()
          + " observation(s) to fit " + input.budgetTokens() + " tokens");
    }
    if (input.overBudget()) {
      notes.add("still over budget after condensing: about " + input.estimatedTokens() + " tokens for "
          + input.budgetTokens());
    }
    final JudgeScore done = score.setDetail(String.join("; ", notes)).setScoredAt(clock.instant()).build();
    R2eMetrics.timer(R2eMetrics.registry(), MeterNames.JUDGE_CALL_DURATION, MeterNames.OUTCOME,
        done.getStatus().name()).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    return done;
  }
}
