package io.r2estream.metrics;

/**
 * Every meter name and tag key the platform publishes, in one place. Names are Micrometer's dotted form; the
 * Prometheus endpoint shows them with underscores and a unit suffix: counters end in {@code _total}, timers in
 * {@code _seconds_count}, {@code _seconds_sum} and {@code _seconds_max} (e.g. {@code r2e.records.processed} is
 * scraped as {@code r2e_records_processed_total}).
 */
public final class MeterNames {

  /** Counter: input records a component finished with, tagged {@link #COMPONENT} and {@link #TOPIC}. */
  public static final String RECORDS_PROCESSED = "r2e.records.processed";
  /**
   * Counter: records a component gave up on (dead-lettered, or reported to Connect's errant-record reporter),
   * tagged {@link #COMPONENT} and {@link #REASON} (the error's class).
   */
  public static final String RECORDS_FAILED = "r2e.records.failed";
  /** Timer: one job of a worker (one input record, whatever its outcome), tagged {@link #COMPONENT}. */
  public static final String JOB_DURATION = "r2e.job.duration";
  /** Timer: one SWE-GEN environment build and validation, tagged {@link #OUTCOME} (the validation status). */
  public static final String ENV_BUILD_DURATION = "r2e.env.build.duration";
  /** Timer: one test-command run in a container, tagged {@link #STAGE} (who ran it and why). */
  public static final String TEST_RUN_DURATION = "r2e.test.run.duration";
  /** Timer: one agent rollout (container start to graded patch), tagged {@link #OUTCOME} (exit reason). */
  public static final String ROLLOUT_DURATION = "r2e.rollout.duration";
  /** Timer: one judge verdict on a trajectory (the LLM call included), tagged {@link #OUTCOME} (verdict source). */
  public static final String JUDGE_CALL_DURATION = "r2e.judge.call.duration";
  /** Timer: one LLM chat call, retries included, tagged {@link #ROLE} and {@link #OUTCOME} (success|failure). */
  public static final String LLM_CALL_DURATION = "r2e.llm.call.duration";
  /** Counter: LLM tokens as the server reported them, tagged {@link #KIND} (prompt|completion) and {@link #ROLE}. */
  public static final String LLM_TOKENS = "r2e.llm.tokens";
  /** Gauge: containers this process started and has not removed yet. */
  public static final String CONTAINERS_RUNNING = "r2e.containers.running";
  /** Counter: containers this process started. */
  public static final String CONTAINERS_STARTED = "r2e.containers.started";

  /** Tag: the component that counted, e.g. a worker's name ({@code r2e-rollout}) or a connector's. */
  public static final String COMPONENT = "component";
  /** Tag: the topic a record came from. */
  public static final String TOPIC = "topic";
  /** Tag: why a record failed: the simple class name of the error. */
  public static final String REASON = "reason";
  /** Tag: how something ended (a status, an exit reason, success|failure). */
  public static final String OUTCOME = "outcome";
  /** Tag: the pipeline stage that ran something, e.g. {@code env-validation}. */
  public static final String STAGE = "stage";
  /** Tag: which LLM user called (agent, judge, testgen, backtranslation). */
  public static final String ROLE = "role";
  /** Tag: prompt or completion tokens. */
  public static final String KIND = "kind";

  public static final String KIND_PROMPT = "prompt";
  public static final String KIND_COMPLETION = "completion";
  public static final String ROLE_AGENT = "agent";
  public static final String ROLE_JUDGE = "judge";
  public static final String ROLE_TESTGEN = "testgen";
  public static final String ROLE_BACKTRANSLATION = "backtranslation";
  /** {@link #STAGE} values of {@link #TEST_RUN_DURATION}. */
  public static final String STAGE_ENV_VALIDATION = "env-validation";
  public static final String STAGE_ROLLOUT_GRADING = "rollout-grading";
  public static final String STAGE_VERIFIER_REGRESSION = "verifier-regression";
  public static final String STAGE_VERIFIER_REPRODUCTION = "verifier-reproduction";
  public static final String OUTCOME_SUCCESS = "success";
  public static final String OUTCOME_FAILURE = "failure";

  private MeterNames() {
  }
}
