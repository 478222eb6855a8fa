package io.r2estream.agent;

/**
 * Turns one model response into an executed step: parse the function call, run the tool in the task's container,
 * render the observation. Parsing and tools live behind this seam so the loop is the same for text and
 * function-calling modes.
 */
@FunctionalInterface
public interface ActionRunner {

  /** The step's thought, the normalised action text (empty when none), the observation and whether it finished. */
  record Turn(String thought, String action, String observation, boolean done) {
  }

  Turn run(String modelResponse);
}
