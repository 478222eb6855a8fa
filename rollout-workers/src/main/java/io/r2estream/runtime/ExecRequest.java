package io.r2estream.runtime;

import java.time.Duration;
import java.util.Map;

/** A shell command ({@code /bin/sh -c}) to run in a container, with its time limit. */
public record ExecRequest(String shell, Duration timeout, String workdir, Map<String, String> env) {

  public ExecRequest {
    env = Map.copyOf(env);
  }

  /** In the container's workdir, no extra environment. */
  public static ExecRequest of(final String shell, final Duration timeout) {
    return new ExecRequest(shell, timeout, null, Map.of());
  }
}
