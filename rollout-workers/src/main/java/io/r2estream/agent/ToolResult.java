package io.r2estream.agent;

/**
 * What one action produced: the observation text for the agent, whether the episode is done ({@code finish}), and
 * whether the action failed (unknown tool, bad arguments, a tool error or a failing command), for statistics.
 */
public record ToolResult(String observation, boolean done, boolean failed) {
}
