package io.r2estream.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.r2estream.metrics.MeterNames;
import io.r2estream.metrics.R2eMetrics;

/**
 * Records one test-command run in {@code r2e.test.run.duration}, tagged with the stage that ran it and how it ended
 * (passed, failed, timeout, oom): the one place that turns an {@link ExecResult} of a test run into a meter.
 */
public final class TestRunMeters {

  private TestRunMeters() {
  }

  /** @param stage one of the {@code MeterNames.STAGE_*} values */
  public static ExecResult record(final String stage, final ExecResult r) {
    return record(R2eMetrics.registry(), stage, r);
  }

  public static ExecResult record(final MeterRegistry meters, final String stage, final ExecResult r) {
    final String outcome = r.oomKilled() ? "oom" : r.timedOut() ? "timeout" : r.exitCode() == 0 ? "passed" : "failed";
    R2eMetrics.timer(meters, MeterNames.TEST_RUN_DURATION, MeterNames.STAGE, stage, MeterNames.OUTCOME, outcome)
        .record(r.duration());
    return r;
  }
}
