package io.r2estream.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code r2e eval bestk --input} as a user runs it: the table on stdout and the four files in --out. */
class EvalCommandTest {

  /**
   * The hand-computed case of BestAtKTest in R2E-Gym's per-task form. At K = 3 (all candidates: one subset, no
   * spread): hybrid 50, EB 75, EF 0, weighted 50, pass 100.
   */
  private static final String HAND = String.join("\n",
      "{\"instance_id\": \"A\", \"gt_rewards\": [0, 1, 1], \"regression_rates\": [5, 5, 3],"
          + " \"mean_predicted_rewards\": [1, 2, 0], \"avg_yes_prob\": [0.9, 0.5, 0.7]}",
      "{\"instance_id\": \"B\", \"gt_rewards\": [1, 0, 0], \"regression_rates\": [1, 1, 0],"
          + " \"mean_predicted_rewards\": [0, 0, 0], \"avg_yes_prob\": [0.2, 0.8, 0.8]}") + "\n";

  @TempDir
  Path dir;

  @Test
  void writesTheTableAndThePlots() throws Exception {
    final Path input = dir.resolve("predictions.jsonl");
    Files.writeString(input, HAND, StandardCharsets.UTF_8);
    final Path out = dir.resolve("report");

    final CliRun run = CliRun.of("eval", "bestk", "--input", input.toString(), "--trials", "500", "--seed", "3",
        "--out", out.toString());

    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("Best@K over 2 tasks of 3 candidates each; 500 random K-subsets per task and K, "
        + "seed 3, mean ± std over trials; accuracy %."), run.out());
    assertTrue(run.out().contains("| K | Hybrid | EB | EF | Weighted | Pass@K |"), run.out());
    assertTrue(run.out().contains("| 3 | 50.0 ± 0.0 | 75.0 ± 0.0 | 0.0 ± 0.0 | 50.0 ± 0.0 | 100.0 ± 0.0 |"),
        run.out());
    final String md = Files.readString(out.resolve("bestk.md"));
    assertTrue(md.startsWith("# Best@K\n"), md);
    assertTrue(md.contains("| 3 | 50.0 ± 0.0 | 75.0 ± 0.0 |"), md);
    final List<String> csv = Files.readAllLines(out.resolve("bestk.csv"));
    assertEquals("k,hybrid_mean,hybrid_std,eb_mean,eb_std,ef_mean,ef_std,weighted_mean,weighted_std,pass_mean,"
        + "pass_std", csv.get(0));
    assertEquals(4, csv.size(), "a header and K = 1..3");
    assertEquals("3,50.0000,0.0000,75.0000,0.0000,0.0000,0.0000,50.0000,0.0000,100.0000,0.0000", csv.get(3));
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'},
        Arrays.copyOf(Files.readAllBytes(out.resolve("bestk.png")), 4));
    final DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
    // The SVG names the SVG 1.1 DTD; a well-formedness check must not fetch it (no network here).
    xml.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    assertEquals("svg", xml.newDocumentBuilder().parse(out.resolve("bestk.svg").toFile()).getDocumentElement()
        .getNodeName());
  }

  @Test
  void theSameSeedPrintsTheSameTable() throws Exception {
    final Path input = dir.resolve("predictions.jsonl");
    Files.writeString(input, HAND, StandardCharsets.UTF_8);
    final CliRun a = CliRun.of("eval", "bestk", "--input", input.toString(), "--trials", "100", "--seed", "9");
    final CliRun b = CliRun.of("eval", "bestk", "--input", input.toString(), "--trials", "100", "--seed", "9");
    assertEquals(table(a.out()), table(b.out()));
    assertEquals(3, table(a.out()).size());
  }

  @Test
  void aMalformedFileIsOneErrorLineNamingTheLine() throws Exception {
    final Path input = dir.resolve("bad.jsonl");
    Files.writeString(input, HAND + "{\"instance_id\": \"C\", \"gt_rewards\": [1], \"avg_yes_prob\": [0.1, 0.2]}\n",
        StandardCharsets.UTF_8);
    final CliRun run = CliRun.of("eval", "bestk", "--input", input.toString());
    assertEquals(1, run.exitCode());
    assertTrue(run.err().contains("error: " + input + ":3: avg_yes_prob has 2 entries but gt_rewards has 1"),
        run.err());
  }

  @Test
  void aMaximumKBeyondTheLargestTaskIsRefused() throws Exception {
    final Path input = dir.resolve("predictions.jsonl");
    Files.writeString(input, HAND, StandardCharsets.UTF_8);
    final CliRun run = CliRun.of("eval", "bestk", "--input", input.toString(), "--max-k", "4");
    assertEquals(1, run.exitCode());
    assertTrue(run.err().contains("maxK 4 exceeds the largest candidate count 3"), run.err());
  }

  private static List<String> table(final String out) {
    return out.lines().filter(l -> l.matches("\\| \\d+ \\|.*")).toList();
  }
}
