package io.r2estream.deploy.cli;

import io.r2estream.avro.EnvValidation;
import io.r2estream.avro.TaskInstance;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Prints the environment-validation part of the funnel: outcomes with reasons, timings, disk and env images. */
final class SweGenReport {

  private SweGenReport() {
  }

  static void print(final ValidationCollector.Outcome o, final PrintStream out) {
    final List<EnvValidation> vs = List.copyOf(o.validations().values());
    out.println();
    out.println("Environment validation (" + vs.size() + " of " + o.expected().size() + " candidates validated)");
    final Map<String, Long> byStatus = vs.stream().collect(Collectors.groupingBy(
        v -> v.getStatus().name() + (v.getInfraFailure().isEmpty() ? "" : " (" + v.getInfraFailure() + ")"),
        TreeMap::new, Collectors.counting()));
    byStatus.forEach((s, n) -> out.printf("  %-40s %6d%n", s, n));
    out.printf("  %-40s %6d%n", "validated tasks on the task topic", o.tasks().size());
    out.println();
    out.println("Per candidate (commit, outcome, F2P/P2P/flaky, wall time, new disk, reason):");
    for (final EnvValidation v : vs) {
      final long ms = v.getTimingsMs().values().stream().mapToLong(Long::longValue).sum();
      out.printf("  %s  %-22s %3d/%3d/%2d %7.1f s %8s  %s%n", v.getCommitSha().substring(0, 10), v.getStatus(),
          v.getFailToPass().size(), v.getPassToPass().size(), v.getFlakyTests().size(), ms / 1000.0,
          bytes(v.getDiskBytes()), oneLine(v.getDetail(), 70));
    }
    final long images = vs.stream().filter(EnvValidation::getEnvImageBuilt).count();
    final long distinctImages = vs.stream().filter(v -> v.getEnvironment() != null)
        .map(v -> v.getEnvironment().getImage()).distinct().count();
    final long[] disk = vs.stream().mapToLong(EnvValidation::getDiskBytes).filter(d -> d >= 0).sorted().toArray();
    final Map<String, Long> phase = new LinkedHashMap<>();
    vs.forEach(v -> v.getTimingsMs().forEach((k, t) -> phase.merge(k, t, Long::sum)));
    out.println();
    out.printf("  env images used %d (built in this run: %d) for %d validated tasks: %.2f images per task%n",
        distinctImages, images, o.tasks().size(), o.tasks().isEmpty() ? 0.0 : (double) distinctImages / o.tasks().size());
    if (disk.length > 0) {
      out.printf("  new disk per validation: median %s, max %s%n", bytes(disk[disk.length / 2]),
          bytes(disk[disk.length - 1]));
    }
    out.println("  time by phase (all candidates): " + phase.entrySet().stream()
        .map(e -> e.getKey() + " " + String.format("%.1f s", e.getValue() / 1000.0)).collect(Collectors.joining(", ")));
    if (!o.tasks().isEmpty()) {
      out.println();
      out.println("Tasks (instance id, FAIL_TO_PASS, statement source):");
      for (final TaskInstance t : o.tasks().values()) {
        out.printf("  %-58s %3d  %s%n", t.getInstanceId(), t.getFAILTOPASS().size(), t.getProblemStatementSource());
      }
    }
  }

  static String bytes(final long b) {
    if (b < 0) {
      return "-";
    }
    return b < 1 << 20 ? String.format("%.0f KB", b / 1024.0) : String.format("%.1f MB", b / 1048576.0);
  }

  private static String oneLine(final String s, final int max) {
    final String l = Arrays.stream(s.split("\n")).findFirst().orElse("");
    return l.length() > max ? l.substring(0, max - 3) + "..." : l;
  }
}
