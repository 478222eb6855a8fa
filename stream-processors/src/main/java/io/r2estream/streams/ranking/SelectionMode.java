package io.r2estream.streams.ranking;

/**
 * How a task's candidates are ranked (reference 5.3).
 * <ul>
 *   <li>{@link #HYBRID}: the paper's rule: sort by (judge, regression, reproduction) descending, keep the top
 *       max(3, ⌊K/2⌋), then those with the maximum regression score, then the maximum reproduction score, then the
 *       maximum judge score;</li>
 *   <li>{@link #EB}: execution-based only: maximum regression score, then maximum reproduction score;</li>
 *   <li>{@link #EF}: execution-free only: maximum judge score;</li>
 *   <li>{@link #WEIGHTED}: a weighted sum, configurable, of the judge score and the regression and reproduction
 *       scores each divided by the task's maximum (not in the paper: for users who want one number).</li>
 * </ul>
 */
public enum SelectionMode {
  HYBRID, EB, EF, WEIGHTED
}
