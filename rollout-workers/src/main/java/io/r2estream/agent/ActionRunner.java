package io.r2estream.agent;

/**
 * Turns one parsed model response into an executed step: run the tool in the task's container, render the
 * observation. Tools live behind this seam so the loop is the same for text and function-calling modes and can be
 * tested without a container.
 */
@FunctionalInterface
public interface ActionRunner {

  /** The step's thought, the normalised action text (empty when none), the observation and whether it finished. */
  record Turn(String thought, String action, String observation, boolean done) {
  }

  /** Runs {@code parsed}; {@code formatHint} ends the observation of a call that could not be read. */
  Turn run(ParsedResponse parsed, String formatHint);
}
