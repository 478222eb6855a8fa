package io.r2estream.bench;

import io.r2estream.avro.CommitEvent;
import io.r2estream.avro.EnvCandidate;
import io.r2estream.avro.EnvValidation;
import io.r2estream.avro.ValidationStatus;
import io.r2estream.envbuilder.EnvImage;
import io.r2estream.envbuilder.EnvImages;
import io.r2estream.envbuilder.EnvValidator;
import io.r2estream.envbuilder.HostRepository;
import io.r2estream.envbuilder.TaskMaterializer;
import io.r2estream.producers.commits.CommitRange;
import io.r2estream.producers.commits.CommitScan;
import io.r2estream.producers.commits.CommitScanner;
import io.r2estream.producers.commits.RepositorySource;
import io.r2estream.producers.commits.ScanLimits;
import io.r2estream.recipes.RecipeRegistry;
import io.r2estream.recipes.RepositoryRecipe;
import io.r2estream.runtime.ApplyOutcome;
import io.r2estream.runtime.Container;
import io.r2estream.runtime.DockerContainerRuntime;
import io.r2estream.runtime.Patches;
import io.r2estream.runtime.ResourceLimits;
import io.r2estream.runtime.images.PythonBaseImage;
import io.r2estream.streams.envgen.CommitSelector;
import io.r2estream.streams.envgen.Selection;
import io.r2estream.streams.envgen.SweGenConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jgit.api.Git;

/**
 * Validation overhead on the real engine, measured side by side in one run: for each candidate of the sample
 * history, the wall time of a full validation (N=3 runs at the parent, 3 at the commit, 1 with the gold patch, each
 * state in a fresh container) with states in parallel (the default) and one after another, against the time of the
 * same seven test runs done with plain {@code docker exec <container> <test command>} (the docker CLI) in containers
 * prepared beforehand (their preparation is not timed). Also: tasks validated per hour with two validations at once,
 * new disk per task and env images per task. Medians over rounds; rounds alternate the three measurements.
 *
 * <p>Usage: {@code bench/validation.sh [--rounds N]}.
 */
public final class ValidationBenchmark {

  private static final String OWNER = "r2e-bench-validation";

  private ValidationBenchmark() {
  }

  public static void main(final String[] args) throws Exception {
    final int rounds = args.length >= 2 && args[0].equals("--rounds") ? Integer.parseInt(args[1]) : 3;
    final Path tmp = Files.createTempDirectory("r2e-bench-validation-");
    final List<EnvCandidate> candidates = sampleCandidates(tmp);
    System.out.printf("sample history: %d env candidates%n", candidates.size());
    try (DockerContainerRuntime runtime = new DockerContainerRuntime(OWNER)) {
      runtime.reapLeaked(OWNER);
      new PythonBaseImage(runtime).ensure();
      final EnvImages images = new EnvImages(runtime, PythonBaseImage.DEFAULT_TAG, new ResourceLimits(2, 4L << 30, 4096));
      final TaskMaterializer materializer = new TaskMaterializer(runtime, ResourceLimits.defaults());
      final RecipeRegistry recipes = RecipeRegistry.defaults();
      final EnvValidator parallel = new EnvValidator(runtime, images, materializer, recipes,
          new EnvValidator.Settings(3, false, tmp.resolve("cache"), PythonBaseImage.DEFAULT_TAG, OWNER, true),
          Clock.systemUTC());
      final EnvValidator serial = new EnvValidator(runtime, images, materializer, recipes,
          new EnvValidator.Settings(3, false, tmp.resolve("cache"), PythonBaseImage.DEFAULT_TAG, OWNER, false),
          Clock.systemUTC());
      check(parallel.validate(candidates.get(0))); // warm-up: builds or finds the env image, loads classes

      final List<Double> par = new ArrayList<>();
      final List<Double> ser = new ArrayList<>();
      final List<Double> plain = new ArrayList<>();
      final List<Double> ratioPar = new ArrayList<>();
      final List<Double> ratioSer = new ArrayList<>();
      final List<Long> disk = new ArrayList<>();
      final Set<String> imagesUsed = new HashSet<>();
      for (int round = 1; round <= rounds; round++) {
        for (final EnvCandidate c : candidates) {
          final long t0 = System.nanoTime();
          final EnvValidation v = check(parallel.validate(c));
          final double p = ms(t0);
          final long t1 = System.nanoTime();
          check(serial.validate(c));
          final double s = ms(t1);
          final double b = plainDockerExec(runtime, images, materializer, recipes.forRepository(c.getRepository()), c,
              tmp);
          par.add(p);
          ser.add(s);
          plain.add(b);
          ratioPar.add(p / b);
          ratioSer.add(s / b);
          disk.add(v.getDiskBytes());
          imagesUsed.add(v.getEnvironment().getImage());
          System.out.printf("round %d %s  parallel %6.0f ms  serial %6.0f ms  plain docker exec %6.0f ms  %s%n", round,
              c.getCommitSha().substring(0, 10), p, s, b, v.getTimingsMs());
        }
      }
      // Throughput: the whole sample history, two validations at once (one worker, concurrency 2), after the warm-up.
      final ExecutorService two = Executors.newFixedThreadPool(2);
      final long t = System.nanoTime();
      final List<Future<EnvValidation>> all = new ArrayList<>();
      for (final EnvCandidate c : candidates) {
        all.add(two.submit(() -> parallel.validate(c)));
      }
      for (final Future<EnvValidation> f : all) {
        check(f.get());
      }
      final double wall = ms(t);
      two.shutdown();
      System.out.println();
      System.out.println("| measure (median over " + par.size() + " validations, " + rounds + " rounds) | value |");
      System.out.println("|---|---|");
      System.out.printf("| validation wall time, states in parallel (default) | %.0f ms |%n", median(par));
      System.out.printf("| validation wall time, states one after another | %.0f ms |%n", median(ser));
      System.out.printf("| the same 7 test runs with plain `docker exec` | %.0f ms |%n", median(plain));
      System.out.printf("| overhead ratio, default (target <= 1.3) | %.2fx |%n", median(ratioPar));
      System.out.printf("| overhead ratio, states one after another | %.2fx |%n", median(ratioSer));
      System.out.printf("| tasks validated per hour (2 cores, 2 validations at once) | %.0f |%n",
          candidates.size() * 3_600_000.0 / wall);
      System.out.printf("| new disk per task (median / max) | %.0f KB / %.0f KB |%n",
          disk.stream().sorted().toList().get(disk.size() / 2) / 1024.0,
          disk.stream().mapToLong(Long::longValue).max().orElse(0) / 1024.0);
      System.out.printf("| env images per task | %d / %d = %.3f |%n", imagesUsed.size(), candidates.size(),
          (double) imagesUsed.size() / candidates.size());
      runtime.reapLeaked(OWNER);
    }
  }

  /** The sample history's env candidates, from a clone under {@code tmp}: scanned and selected as the platform does. */
  static List<EnvCandidate> sampleCandidates(final Path tmp) throws Exception {
    final Path repoDir = tmp.resolve("textkit");
    try (Git git = Git.cloneRepository().setURI(sampleBundle().toString()).setDirectory(repoDir.toFile()).call()) {
      // cloned
    }
    return candidates(repoDir);
  }

  /** Seven test runs (3 parent, 3 commit, 1 gold) with the docker CLI in containers prepared untimed. */
  private static double plainDockerExec(final DockerContainerRuntime runtime, final EnvImages images,
      final TaskMaterializer materializer, final RepositoryRecipe recipe, final EnvCandidate c, final Path tmp)
      throws Exception {
    try (HostRepository repo = HostRepository.open(c.getRepository(), c.getSourceUrl(), tmp.resolve("cache"))) {
      final EnvImage image = images.ensure(repo, recipe, c.getParentSha());
      final Map<String, byte[]> tests = repo.files(c.getCommitSha(), c.getTestFiles());
      final String command = recipe.testCommand(new ArrayList<>(tests.keySet()));
      final List<String> env = new ArrayList<>();
      recipe.env().forEach((k, v) -> {
        env.add("-e");
        env.add(k + "=" + v);
      });
      final Container parent = materializer.start(image, repo, c.getParentSha(), "r2e-bench-", Map.of());
      final Container commit = materializer.start(image, repo, c.getCommitSha(), "r2e-bench-", Map.of());
      final Container gold = materializer.start(image, repo, c.getParentSha(), "r2e-bench-", Map.of());
      try {
        runtime.copyIn(parent, "/testbed", tests);
        runtime.copyIn(gold, "/testbed", tests);
        final ApplyOutcome applied = new Patches(runtime).apply(gold, c.getCodePatch());
        if (!applied.applied()) {
          throw new IllegalStateException("gold patch does not apply: " + applied.error());
        }
        double total = 0;
        for (final Container ctr : List.of(parent, parent, parent, commit, commit, commit, gold)) {
          final List<String> cmd = new ArrayList<>(List.of("docker", "exec", "-w", "/testbed"));
          cmd.addAll(env);
          cmd.addAll(List.of(ctr.name(), "/bin/sh", "-c", command));
          final long t = System.nanoTime();
          final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
          p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
          p.waitFor();
          total += ms(t);
        }
        return total;
      } finally {
        runtime.remove(parent);
        runtime.remove(commit);
        runtime.remove(gold);
      }
    }
  }

  private static EnvValidation check(final EnvValidation v) {
    if (v.getStatus() != ValidationStatus.NEW_COMMIT_BETTER) {
      throw new IllegalStateException(v.getTaskId() + " did not validate: " + v.getStatus() + " " + v.getDetail());
    }
    return v;
  }

  private static List<EnvCandidate> candidates(final Path repo) throws Exception {
    final CommitSelector selector = new CommitSelector(SweGenConfig.defaults());
    final List<EnvCandidate> out = new ArrayList<>();
    try (CommitScanner scanner = CommitScanner.open(RepositorySource.local(repo).withId("bench/textkit"),
        ScanLimits.defaults()); CommitScan scan = scanner.scan(CommitRange.head())) {
      while (scan.hasNext()) {
        final CommitEvent e = scan.next();
        if (selector.select(e) instanceof Selection.Selected s) {
          out.add(s.candidate());
        }
      }
    }
    return out;
  }

  private static Path sampleBundle() {
    for (final String p : new String[] {"samples/sample-project.bundle", "../samples/sample-project.bundle"}) {
      if (Files.exists(Path.of(p))) {
        return Path.of(p).toAbsolutePath();
      }
    }
    throw new IllegalStateException("run from the repository root: samples/sample-project.bundle not found");
  }

  private static double ms(final long startNanos) {
    return (System.nanoTime() - startNanos) / 1e6;
  }

  private static double median(final List<Double> xs) {
    final double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }

}
