package io.r2estream.bench;

import io.r2estream.streams.ranking.BestAtK;
import io.r2estream.streams.ranking.CandidateScores;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Wall time of a Best@K evaluation at the paper's size: 500 tasks × 26 candidates, 1,000 trials, K = 1..26 (13
 * million subsets, each scored by every method). The scores are synthetic, noisy functions of the ground truth with
 * the few distinct values (regression counts, reproduction counts) that make ties common.
 * Usage: {@code bench/main.sh BestAtKBenchmark [tasks] [candidates] [trials] [repeats]}.
 */
public final class BestAtKBenchmark {

  private BestAtKBenchmark() {
  }

  public static void main(final String[] args) {
    final int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    final int candidates = args.length > 1 ? Integer.parseInt(args[1]) : 26;
    final int trials = args.length > 2 ? Integer.parseInt(args[2]) : BestAtK.Options.DEFAULT_TRIALS;
    final int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    final Map<String, List<CandidateScores>> data = synthetic(tasks, candidates, new Random(1));
    BestAtK.Result last = null;
    for (int r = 0; r < repeats; r++) {
      final long start = System.nanoTime();
      last = BestAtK.sample(data, new BestAtK.Options(trials, 1, 0, io.r2estream.streams.ranking.SelectionRules
          .Weights.EQUAL));
      System.out.printf("run %d: %d tasks x %d candidates, %d trials, K=1..%d: %.2f s%n", r + 1, tasks, candidates,
          trials, candidates, (System.nanoTime() - start) / 1e9);
    }
    for (final BestAtK.Row row : last.rows()) {
      final StringBuilder line = new StringBuilder("K=" + row.k());
      row.values().forEach((m, s) -> line.append(String.format("  %s %.1f±%.1f", m.label(), 100 * s.mean(),
          100 * s.std())));
      System.out.println(line);
    }
  }

  /** Per task a resolve rate drawn around 32%; verifier scores are the ground truth plus noise, rounded to ties. */
  static Map<String, List<CandidateScores>> synthetic(final int tasks, final int candidates, final Random random) {
    final Map<String, List<CandidateScores>> out = new LinkedHashMap<>();
    for (int t = 0; t < tasks; t++) {
      final double rate = Math.min(1, Math.max(0, random.nextGaussian() * 0.35 + 0.32));
      final List<CandidateScores> l = new ArrayList<>(candidates);
      for (int i = 0; i < candidates; i++) {
        final double truth = random.nextDouble() < rate ? 1 : 0;
        final double regression = Math.round(40 + 3 * truth + 4 * random.nextGaussian());
        final double reproduction = Math.max(0, Math.round(truth + 1.5 * random.nextGaussian()));
        final double judge = 1 / (1 + Math.exp(-(2 * truth - 1 + 1.6 * random.nextGaussian())));
        l.add(new CandidateScores(String.format("r%02d", i), regression, reproduction, judge, truth));
      }
      out.put(String.format("task-%03d", t), l);
    }
    return out;
  }
}
