package io.r2estream.runtime;

/** CPU (in cores), memory (bytes, swap included) and process-count limits of one container. */
public record ResourceLimits(double cpus, long memoryBytes, long pids) {

  public ResourceLimits {
    if (cpus <= 0 || memoryBytes <= 0 || pids <= 0) {
      throw new IllegalArgumentException("resource limits must be positive, got cpus=" + cpus + " memory="
          + memoryBytes + " pids=" + pids);
    }
  }

  /** One core, 2 GiB, 512 processes: enough for a pytest run, small enough that a fork bomb or leak stays local. */
  public static ResourceLimits defaults() {
    return new ResourceLimits(1.0, 2L << 30, 512);
  }
}
