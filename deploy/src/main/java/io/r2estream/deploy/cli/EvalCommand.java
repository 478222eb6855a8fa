package io.r2estream.deploy.cli;

import io.r2estream.deploy.eval.BestKInputs;
import io.r2estream.deploy.eval.BestKPlot;
import io.r2estream.deploy.eval.BestKReport;
import io.r2estream.deploy.platform.PlatformConfig;
import io.r2estream.streams.ranking.BestAtK;
import io.r2estream.streams.ranking.BestAtKInputs;
import io.r2estream.streams.ranking.SelectionRules;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code r2e eval bestk}: Best@K curves of the verifiers from ground truth and scores, as a table and a plot. */
@Command(name = "eval", description = "Evaluate the verifiers against ground truth.",
    subcommands = EvalCommand.BestK.class)
final class EvalCommand {

  @ParentCommand
  R2eCli root;

  @Command(name = "bestk", description = "Best@K for K = 1..N (random K-subsets per task, mean and std over trials) "
      + "of the hybrid, EB, EF and weighted selections and pass@K, from a JSONL file or the running platform's "
      + "trajectories and scores.")
  static final class BestK implements Callable<Integer> {

    @ParentCommand
    EvalCommand parent;

    @Option(names = "--input", paramLabel = "FILE", description = "JSONL: per task (R2E-Gym's gt_rewards, "
        + "regression_rates, mean_predicted_rewards, avg_yes_prob lists) or per rollout (task_id, candidate_id, "
        + "ground_truth, regression, reproduction, judge). Default: read the platform's topics.")
    Path input;

    @Option(names = "--trials", description = "Random K-subsets per task and K (default: ${DEFAULT-VALUE}).")
    int trials = BestAtK.Options.DEFAULT_TRIALS;

    @Option(names = "--seed", description = "Random seed; the same seed and input give the same curves "
        + "(default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--max-k", description = "Largest K (default: the smallest candidate count over tasks; a "
        + "larger value, up to the largest count, lets smaller tasks use all of their candidates).")
    int maxK;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write bestk.md, bestk.csv, bestk.png and "
        + "bestk.svg to this directory.")
    Path out;

    @Override
    public Integer call() throws Exception {
      final BestAtKInputs.Loaded loaded;
      if (input != null) {
        loaded = BestKInputs.readJsonl(input);
      } else {
        final PlatformConfig config = parent.root.config(Map.of());
        final Map<String, Object> bootstrap = config.kafkaClient();
        try (TopicStats probe = TopicStats.connect(bootstrap)) {
          // fails with a clear message when no platform runs
        }
        loaded = BestKInputs.fromTopics(bootstrap, config.effectiveRegistryUrl());
      }
      if (loaded.tasks().isEmpty()) {
        System.err.println("No task has candidates with ground truth"
            + (input != null ? " in " + input : " on the platform's trajectories") + ". " + loaded.leftOut());
        return 1;
      }
      final long start = System.nanoTime();
      final BestAtK.Result result = BestAtK.sample(loaded.tasks(),
          new BestAtK.Options(trials, seed, maxK, SelectionRules.Weights.EQUAL));
      final double seconds = (System.nanoTime() - start) / 1e9;
      final String caption = BestKReport.caption(result);
      final String table = BestKReport.markdown(result);
      System.out.println(caption);
      if (!loaded.leftOut().isEmpty()) {
        System.out.println(loaded.leftOut());
      }
      System.out.println();
      System.out.print(table);
      System.out.printf(Locale.ROOT, "%nComputed in %.2f s.%n", seconds);
      if (out != null) {
        Files.createDirectories(out);
        Files.writeString(out.resolve("bestk.md"), "# Best@K\n\n" + caption + "\n"
            + (loaded.leftOut().isEmpty() ? "" : loaded.leftOut() + "\n") + "\n" + table, StandardCharsets.UTF_8);
        Files.writeString(out.resolve("bestk.csv"), BestKReport.csv(result), StandardCharsets.UTF_8);
        BestKPlot.writePng(result, out.resolve("bestk.png"));
        BestKPlot.writeSvg(result, out.resolve("bestk.svg"));
        System.out.println("Wrote bestk.md, bestk.csv, bestk.png and bestk.svg to " + out);
      }
      return 0;
    }
  }
}
