package io.r2estream.deploy.eval;

import io.r2estream.streams.ranking.BestAtK;
import io.r2estream.streams.ranking.BestAtK.Method;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Best@K curves as text: a Markdown table (also what the CLI prints) and a CSV, accuracy in percent. */
public final class BestKReport {

  /** The columns, in order: the paper's three verifiers, the weighted mode, then the pass@K ceiling. */
  public static final List<Method> METHODS = List.of(Method.HYBRID, Method.EB, Method.EF, Method.WEIGHTED,
      Method.PASS);

  private BestKReport() {
  }

  /** One line on what the numbers are. */
  public static String caption(final BestAtK.Result r) {
    final String sizes = r.minCandidates() == r.maxCandidates() ? r.minCandidates() + " candidates each"
        : r.minCandidates() + " to " + r.maxCandidates() + " candidates (K above a task's count uses all of them)";
    final String draws = r.trials() == 0 ? "exact expectation over all K-subsets"
        : r.trials() + " random K-subsets per task and K, seed " + r.seed() + ", mean ± std over trials";
    return String.format(Locale.ROOT, "Best@K over %d tasks of %s; %s; accuracy %%.", r.tasks(), sizes, draws);
  }

  /** A Markdown table: K, then "mean ± std" per method. */
  public static String markdown(final BestAtK.Result r) {
    final StringBuilder out = new StringBuilder();
    out.append("| K | ").append(METHODS.stream().map(Method::label).collect(Collectors.joining(" | ")))
        .append(" |\n|---:|").append("---:|".repeat(METHODS.size())).append('\n');
    for (final BestAtK.Row row : r.rows()) {
      out.append("| ").append(row.k()).append(" |");
      for (final Method m : METHODS) {
        out.append(' ').append(percent(row.get(m))).append(" |");
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** CSV with a header: k, then {method}_mean and {method}_std per method, in percent. */
  public static String csv(final BestAtK.Result r) {
    final StringBuilder out = new StringBuilder("k");
    for (final Method m : METHODS) {
      final String name = m.name().toLowerCase(Locale.ROOT);
      out.append(',').append(name).append("_mean,").append(name).append("_std");
    }
    out.append('\n');
    for (final BestAtK.Row row : r.rows()) {
      out.append(row.k());
      for (final Method m : METHODS) {
        out.append(String.format(Locale.ROOT, ",%.4f,%.4f", 100 * row.get(m).mean(), 100 * row.get(m).std()));
      }
      out.append('\n');
    }
    return out.toString();
  }

  private static String percent(final BestAtK.Stat s) {
    return String.format(Locale.ROOT, "%.1f ± %.1f", 100 * s.mean(), 100 * s.std());
  }
}
