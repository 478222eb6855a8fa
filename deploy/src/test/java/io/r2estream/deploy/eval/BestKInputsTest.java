package io.r2estream.deploy.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.streams.ranking.BestAtKInputs;
import io.r2estream.streams.ranking.CandidateScores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The accepted JSONL forms (the join of the platform's records: BestAtKInputsTest in stream-processors). */
class BestKInputsTest {

  @TempDir
  Path dir;

  private Path file(final String... lines) throws Exception {
    final Path f = dir.resolve("in.jsonl");
    Files.writeString(f, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return f;
  }

  @Test
  void perTaskRowsAsR2eGymsPredictionsDatasetSpellsThem() throws Exception {
    final BestAtKInputs.Loaded l = BestKInputs.readJsonl(file(
        "{\"instance_id\": \"astropy-1\", \"gt_rewards\": [1, 0, 0], \"regression_rates\": [10, 12, null],"
            + " \"mean_predicted_rewards\": [0.5, 0.0, 1.0], \"avg_yes_prob\": [0.9, 0.2, 0.4]}",
        "",
        "{\"docker_image\": \"img-2\", \"gt_rewards\": [true, false]}"));
    assertEquals(List.of("astropy-1", "img-2"), List.copyOf(l.tasks().keySet()));
    assertEquals(List.of(new CandidateScores("00", 10.0, 0.5, 0.9, 1.0), new CandidateScores("01", 12.0, 0.0, 0.2,
        0.0), new CandidateScores("02", null, 1.0, 0.4, 0.0)), l.tasks().get("astropy-1"));
    assertEquals(List.of(new CandidateScores("00", null, null, null, 1.0), new CandidateScores("01", null, null, null,
        0.0)), l.tasks().get("img-2"));
    assertEquals(5, l.candidatesRead());
    assertEquals("", l.leftOut());
  }

  @Test
  void perRolloutRowsWithOurNamesOrR2eGymsAndGroundTruthMissingHereAndThere() throws Exception {
    final BestAtKInputs.Loaded l = BestKInputs.readJsonl(file(
        "{\"task_id\": \"t1\", \"candidate_id\": \"a\", \"ground_truth\": 1, \"regression\": 3, \"reproduction\": 2,"
            + " \"judge\": 0.7}",
        "{\"task_id\": \"t1\", \"rollout_id\": \"b\", \"reward\": 0.0, \"regression_pass_count\": 4,"
            + " \"reproduction_test_score\": 1, \"verifier_prob\": 0.3}",
        "{\"task_id\": \"t1\", \"candidate_id\": \"c\", \"ground_truth\": null, \"judge\": 0.5}",
        "{\"docker_image\": \"t2\", \"reward\": 1, \"p_yes\": 0.1}",
        "{\"docker_image\": \"t2\", \"reward\": 0}",
        "{\"task_id\": \"t3\", \"candidate_id\": \"x\"}"));
    assertEquals(List.of(new CandidateScores("a", 3.0, 2.0, 0.7, 1.0), new CandidateScores("b", 4.0, 1.0, 0.3, 0.0)),
        l.tasks().get("t1"));
    assertEquals(List.of(new CandidateScores("00000", null, null, 0.1, 1.0),
        new CandidateScores("00001", null, null, null, 0.0)), l.tasks().get("t2"));
    assertEquals(List.of("t1", "t2"), List.copyOf(l.tasks().keySet()));
    assertEquals(6, l.candidatesRead());
    assertEquals(2, l.withoutGroundTruth());
    assertEquals(List.of("t3"), l.tasksWithoutTruth());
    assertEquals("Left out: 2 candidates without ground truth; 1 tasks with none (t3).", l.leftOut());
  }

  @Test
  void malformedLinesAreRefusedWithTheirLineNumber() throws Exception {
    final Path bad = file("{\"task_id\": \"t\", \"candidate_id\": \"a\", \"ground_truth\": 1}", "not json");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> BestKInputs.readJsonl(bad)).getMessage()
        .startsWith(bad + ":2 is not JSON"));
    final Path lengths = file("{\"instance_id\": \"t\", \"gt_rewards\": [1, 0], \"avg_yes_prob\": [0.5]}");
    assertEquals(lengths + ":1: avg_yes_prob has 1 entries but gt_rewards has 2",
        assertThrows(IllegalArgumentException.class, () -> BestKInputs.readJsonl(lengths)).getMessage());
    final Path text = file("{\"task_id\": \"t\", \"ground_truth\": 1, \"judge\": \"high\"}");
    assertEquals(text + ":1: judge must be a number or null, got \"high\"",
        assertThrows(IllegalArgumentException.class, () -> BestKInputs.readJsonl(text)).getMessage());
    final Path twice = file("{\"task_id\": \"t\", \"candidate_id\": \"a\", \"ground_truth\": 1}",
        "{\"task_id\": \"t\", \"candidate_id\": \"a\", \"ground_truth\": 0}");
    assertEquals(twice + ":2 repeats candidate a of task t",
        assertThrows(IllegalArgumentException.class, () -> BestKInputs.readJsonl(twice)).getMessage());
    final Path noTask = file("{\"candidate_id\": \"a\", \"ground_truth\": 1}");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> BestKInputs.readJsonl(noTask)).getMessage()
        .contains(":1 has no task id"));
  }
}
