package io.r2estream.runtime;

import java.time.Duration;

/**
 * The outcome of one command: its exit code and combined stdout+stderr. {@code timedOut} is set when the
 * in-container {@code timeout} fired (exit 124/137) or the host-side deadline passed; {@code oomKilled} when the
 * kernel's OOM killer ended it.
 */
public record ExecResult(int exitCode, String output, Duration duration, boolean timedOut, boolean oomKilled) {

  public boolean ok() {
    return exitCode == 0 && !timedOut;
  }
}
