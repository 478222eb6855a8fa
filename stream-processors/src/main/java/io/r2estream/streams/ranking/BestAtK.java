package io.r2estream.streams.ranking;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Best@K evaluation (reference 5.3, paper-plot rule): how often a verifier picks a resolving patch when it chooses
 * among K of a task's candidates. For each K, {@code trials} times, draw one random K-subset (without replacement)
 * per task; a task's value is the mean ground truth over the mode's tied survivors ({@link SelectionRules#survivors},
 * the expected accuracy of a random tie-break); the trial's value is the mean over tasks; the curve is the mean and
 * the (population) standard deviation over trials. Pass@K (a resolving candidate is among the K) rides along.
 *
 * <p>K runs from 1 to {@link Options#maxK()}, by default the smallest candidate count over the tasks, so that every
 * task draws a true K-subset. A larger maximum (up to the largest count) is allowed: a task with fewer than K
 * candidates then uses all of its candidates (min(K, n)), which {@link Result#minCandidates()} lets a report state.
 *
 * <p>The sampler evaluates subsets on primitive arrays (the paper's size, 500 tasks × 26 candidates × 1,000 trials ×
 * 26 K, is 13 million subsets per mode); {@link #exact} enumerates every subset through {@link SelectionRules}
 * itself, and the tests hold the two to the same values.
 */
public final class BestAtK {

  /** The curves one evaluation draws. */
  public enum Method {
    HYBRID("Hybrid", SelectionMode.HYBRID),
    EB("EB", SelectionMode.EB),
    EF("EF", SelectionMode.EF),
    WEIGHTED("Weighted", SelectionMode.WEIGHTED),
    /** Not a verifier: 1 when any of the K candidates resolves the task (the ceiling of every verifier). */
    PASS("Pass@K", null);

    private final String label;
    private final SelectionMode mode;

    Method(final String label, final SelectionMode mode) {
      this.label = label;
      this.mode = mode;
    }

    /** The name a table or a plot shows. */
    public String label() {
      return label;
    }
  }

  /**
   * @param trials  random K-subsets per task and K (the paper: 1,000)
   * @param seed    the random seed: the same seed, tasks and options give the same curves
   * @param maxK    the largest K; 0 means the smallest candidate count over the tasks
   * @param weights the weights of {@link Method#WEIGHTED}
   */
  public record Options(int trials, long seed, int maxK, SelectionRules.Weights weights) {

    /** The paper's number of trials. */
    public static final int DEFAULT_TRIALS = 1_000;

    /** The paper's protocol: 1,000 trials, K up to the smallest candidate count, equal weights. */
    public static Options paper(final long seed) {
      return new Options(DEFAULT_TRIALS, seed, 0, SelectionRules.Weights.EQUAL);
    }

    public Options {
      if (trials < 1) {
        throw new IllegalArgumentException("trials must be at least 1, got " + trials);
      }
      if (maxK < 0) {
        throw new IllegalArgumentException("maxK must be 0 (the smallest candidate count) or more, got " + maxK);
      }
      Objects.requireNonNull(weights, "weights");
    }
  }

  /** Mean and standard deviation over trials of a fraction in [0, 1]. */
  public record Stat(double mean, double std) {
  }

  /** One K: every method's value. */
  public record Row(int k, Map<Method, Stat> values) {

    public Stat get(final Method m) {
      return values.get(m);
    }
  }

  /**
   * The curves.
   *
   * @param tasks         tasks evaluated
   * @param minCandidates the smallest candidate count over tasks (K above it uses all of a smaller task's candidates)
   * @param maxCandidates the largest candidate count
   * @param trials        trials per K (0 for {@link #exact})
   * @param seed          the seed of the trials
   * @param rows          K = 1, 2, …, in order
   */
  public record Result(int tasks, int minCandidates, int maxCandidates, int trials, long seed, List<Row> rows) {
  }

  private static final long MAX_EXACT_SUBSETS = 5_000_000L;

  private BestAtK() {
  }

  /**
   * The sampled curves of the paper's protocol. {@code tasks}: per task its candidates, each with ground truth.
   *
   * @throws IllegalArgumentException when there are no tasks, a task has no candidates, two candidates of a task share
   *                                  an id, a candidate has no ground truth, or maxK exceeds the largest count
   */
  public static Result sample(final Map<String, List<CandidateScores>> tasks, final Options options) {
    final List<TaskArrays> all = prepare(tasks);
    final int minN = all.stream().mapToInt(TaskArrays::size).min().orElseThrow();
    final int maxN = all.stream().mapToInt(TaskArrays::size).max().orElseThrow();
    final int maxK = maxK(options.maxK(), minN, maxN);
    final SplittableRandom root = new SplittableRandom(options.seed());
    // One stream per K, split in K order, and fresh permutations per K: K's curve depends on the seed and K only,
    // so the K run in parallel (on the common pool) and still reproduce.
    final SplittableRandom[] randoms = new SplittableRandom[maxK];
    for (int k = 1; k <= maxK; k++) {
      randoms[k - 1] = root.split();
    }
    final List<Row> rows = IntStream.rangeClosed(1, maxK).parallel()
        .mapToObj(k -> sampleK(all, k, maxN, randoms[k - 1], options)).toList();
    return new Result(all.size(), minN, maxN, options.trials(), options.seed(), rows);
  }

  private static Row sampleK(final List<TaskArrays> all, final int k, final int maxN, final SplittableRandom random,
      final Options options) {
    final Method[] methods = Method.values();
    final int[][] perms = new int[all.size()][];
    for (int t = 0; t < perms.length; t++) {
      perms[t] = identity(all.get(t).size());
    }
    final int[] subset = new int[maxN];
    final double[][] trialValues = new double[methods.length][options.trials()];
    final double[] sums = new double[methods.length];
    final double[] values = new double[methods.length];
    for (int trial = 0; trial < options.trials(); trial++) {
      Arrays.fill(sums, 0);
      for (int t = 0; t < all.size(); t++) {
        final TaskArrays task = all.get(t);
        final int size = drawSorted(perms[t], Math.min(k, task.size()), random, subset);
        task.values(subset, size, options.weights(), values);
        for (int m = 0; m < methods.length; m++) {
          sums[m] += values[m];
        }
      }
      for (int m = 0; m < methods.length; m++) {
        trialValues[m][trial] = sums[m] / all.size();
      }
    }
    final Map<Method, Stat> curve = new EnumMap<>(Method.class);
    for (int m = 0; m < methods.length; m++) {
      curve.put(methods[m], stat(trialValues[m]));
    }
    return new Row(k, curve);
  }

  /**
   * The exact expectation of {@link #sample} (what infinitely many trials converge to), by enumerating every K-subset
   * of every task through {@link SelectionRules#survivors}; std is 0. For small sets: it refuses a task and K with
   * more than 5,000,000 subsets.
   */
  public static Result exact(final Map<String, List<CandidateScores>> tasks, final int maxKOption,
      final SelectionRules.Weights weights) {
    final List<TaskArrays> all = prepare(tasks);
    final int minN = all.stream().mapToInt(TaskArrays::size).min().orElseThrow();
    final int maxN = all.stream().mapToInt(TaskArrays::size).max().orElseThrow();
    final int maxK = maxK(maxKOption, minN, maxN);
    final List<Row> rows = new ArrayList<>(maxK);
    for (int k = 1; k <= maxK; k++) {
      final Map<Method, Stat> values = new EnumMap<>(Method.class);
      for (final Method m : Method.values()) {
        double sum = 0;
        for (final TaskArrays task : all) {
          sum += exactTaskValue(m, task.candidates, Math.min(k, task.size()), weights);
        }
        values.put(m, new Stat(sum / all.size(), 0));
      }
      rows.add(new Row(k, values));
    }
    return new Result(all.size(), minN, maxN, 0, 0, List.copyOf(rows));
  }

  /**
   * {@link #exact} when every task's K-subsets number at most {@code maxExactSubsets} in all (cheap, and the exact
   * expectation has no sampling noise), else {@link #sample} with {@code options}; a live view recomputing on every
   * change uses it to stay both exact on small sets and bounded on large ones.
   */
  public static Result exactOrSample(final Map<String, List<CandidateScores>> tasks, final Options options,
      final long maxExactSubsets) {
    final List<TaskArrays> all = prepare(tasks);
    final int minN = all.stream().mapToInt(TaskArrays::size).min().orElseThrow();
    final int maxN = all.stream().mapToInt(TaskArrays::size).max().orElseThrow();
    final int maxK = maxK(options.maxK(), minN, maxN);
    // Beyond 40 candidates a binomial may overflow a long, and enumeration is out of the question anyway.
    long subsets = maxN > 40 ? Long.MAX_VALUE : 0;
    for (final TaskArrays task : all) {
      for (int k = 1; k <= maxK && subsets <= maxExactSubsets; k++) {
        subsets += binomial(task.size(), Math.min(k, task.size()));
      }
    }
    return subsets <= maxExactSubsets ? exact(tasks, options.maxK(), options.weights()) : sample(tasks, options);
  }

  /** A method's value on one subset of candidates, by the reference rules: the mean ground truth of the survivors. */
  static double referenceValue(final Method m, final List<CandidateScores> subset,
      final SelectionRules.Weights weights) {
    if (m == Method.PASS) {
      return subset.stream().mapToDouble(CandidateScores::groundTruth).max().orElseThrow();
    }
    return SelectionRules.survivors(m.mode, subset, weights).stream().mapToDouble(CandidateScores::groundTruth)
        .average().orElseThrow();
  }

  private static double exactTaskValue(final Method m, final List<CandidateScores> candidates, final int k,
      final SelectionRules.Weights weights) {
    final int n = candidates.size();
    final long count = binomial(n, k);
    if (count > MAX_EXACT_SUBSETS) {
      throw new IllegalArgumentException("exact Best@K enumerates C(" + n + ", " + k + ") = " + count
          + " subsets of one task, more than " + MAX_EXACT_SUBSETS + ": use sample()");
    }
    final int[] idx = identity(k);
    double sum = 0;
    final List<CandidateScores> subset = new ArrayList<>(k);
    while (true) {
      subset.clear();
      for (final int i : idx) {
        subset.add(candidates.get(i));
      }
      sum += referenceValue(m, subset, weights);
      // Next combination in lexicographic order.
      int i = k - 1;
      while (i >= 0 && idx[i] == n - k + i) {
        i--;
      }
      if (i < 0) {
        return sum / count;
      }
      idx[i]++;
      for (int j = i + 1; j < k; j++) {
        idx[j] = idx[j - 1] + 1;
      }
    }
  }

  static long binomial(final int n, final int k) {
    long c = 1;
    for (int i = 1; i <= k; i++) {
      c = c * (n - k + i) / i;
    }
    return c;
  }

  private static int maxK(final int requested, final int minN, final int maxN) {
    if (requested > maxN) {
      throw new IllegalArgumentException("maxK " + requested + " exceeds the largest candidate count " + maxN);
    }
    return requested == 0 ? minN : requested;
  }

  private static List<TaskArrays> prepare(final Map<String, List<CandidateScores>> tasks) {
    if (tasks.isEmpty()) {
      throw new IllegalArgumentException("Best@K needs at least one task with candidates, got none");
    }
    final List<TaskArrays> out = new ArrayList<>(tasks.size());
    tasks.forEach((id, candidates) -> out.add(new TaskArrays(id, candidates)));
    return out;
  }

  /**
   * Draws a uniform random subset of {@code size} positions by a partial Fisher-Yates shuffle of {@code perm} (any
   * starting order gives a uniform subset, so perm is never reset) and writes it, ascending, to {@code out}.
   */
  private static int drawSorted(final int[] perm, final int size, final SplittableRandom random, final int[] out) {
    final int n = perm.length;
    for (int i = 0; i < size; i++) {
      final int j = i + random.nextInt(n - i);
      final int swap = perm[i];
      perm[i] = perm[j];
      perm[j] = swap;
      out[i] = perm[i];
    }
    Arrays.sort(out, 0, size);
    return size;
  }

  private static int[] identity(final int n) {
    final int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    return a;
  }

  private static Stat stat(final double[] values) {
    double sum = 0;
    for (final double v : values) {
      sum += v;
    }
    final double mean = sum / values.length;
    double squares = 0;
    for (final double v : values) {
      squares += (v - mean) * (v - mean);
    }
    return new Stat(mean, Math.sqrt(squares / values.length));
  }
}
