package io.r2estream.producers.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.r2estream.avro.TaskInstance;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweBenchRowsTest {

  /**
   * One row in the layout of the Hugging Face SWE-bench datasets (princeton-nlp/SWE-bench_Verified): every column,
   * FAIL_TO_PASS and PASS_TO_PASS as JSON-encoded strings, version as a string.
   */
  static final String SWE_BENCH_LINE = "{\"repo\": \"astropy/astropy\", \"instance_id\": \"astropy__astropy-12907\", "
      + "\"base_commit\": \"d16bfe05a744909de4b27f5875fe0d4ed41ce607\", "
      + "\"patch\": \"diff --git a/astropy/modeling/separable.py b/astropy/modeling/separable.py\\n"
      + "--- a/astropy/modeling/separable.py\\n+++ b/astropy/modeling/separable.py\\n"
      + "@@ -242,7 +242,7 @@ def _cstack(left, right):\\n         cright = _coord_matrix(right, 'right', noutp)\\n"
      + "     else:\\n         cright = np.zeros((noutp, right.shape[1]))\\n"
      + "-        cright[-right.shape[0]:, -right.shape[1]:] = 1\\n"
      + "+        cright[-right.shape[0]:, -right.shape[1]:] = right\\n \\n"
      + "     return np.hstack([cleft, cright])\\n \\n\", "
      + "\"test_patch\": \"diff --git a/astropy/modeling/tests/test_separable.py "
      + "b/astropy/modeling/tests/test_separable.py\\n--- a/astropy/modeling/tests/test_separable.py\\n"
      + "+++ b/astropy/modeling/tests/test_separable.py\\n@@ -28,6 +28,13 @@\\n p1 = models.Polynomial1D(1, name='p1')\\n"
      + " \\n \\n+cm_4d_expected = (np.array([False, False, True, True]),\\n"
      + "+                  np.array([[True,  True,  False, False],\\n"
      + "+                            [True,  True,  False, False],\\n"
      + "+                            [False, False, True,  False],\\n"
      + "+                            [False, False, False, True]]))\\n+\\n+\\n compound_models = {\\n\", "
      + "\"problem_statement\": \"Modeling's `separability_matrix` does not compute separability correctly for "
      + "nested CompoundModels\\nConsider the following model:\\r\\n\", "
      + "\"hints_text\": \"\", \"created_at\": \"2022-03-03T15:14:54Z\", \"version\": \"4.3\", "
      + "\"FAIL_TO_PASS\": \"[\\\"astropy/modeling/tests/test_separable.py::test_separable[compound_model6-result6]\\\", "
      + "\\\"astropy/modeling/tests/test_separable.py::test_separable[compound_model9-result9]\\\"]\", "
      + "\"PASS_TO_PASS\": \"[\\\"astropy/modeling/tests/test_separable.py::test_coord_matrix\\\"]\", "
      + "\"environment_setup_commit\": \"298ccb478e6bf092953bca67a3d29dc6c35f6752\", "
      + "\"difficulty\": \"15 min - 1 hour\"}";

  @Test
  void importsARealSweBenchShapedLine() throws Exception {
    final TaskInstance t = TaskRowFormat.SWEBENCH.fromRow(RowFields.JSON.readTree(SWE_BENCH_LINE),
        ImportDefaults.of(TaskRowFormat.SWEBENCH, null));

    assertEquals("astropy__astropy-12907", t.getInstanceId());
    assertEquals("astropy/astropy", t.getRepo());
    assertEquals("astropy", t.getRepoName());
    assertEquals("d16bfe05a744909de4b27f5875fe0d4ed41ce607", t.getBaseCommit());
    assertEquals(List.of("astropy/modeling/tests/test_separable.py::test_separable[compound_model6-result6]",
        "astropy/modeling/tests/test_separable.py::test_separable[compound_model9-result9]"), t.getFAILTOPASS());
    assertEquals(List.of("astropy/modeling/tests/test_separable.py::test_coord_matrix"), t.getPASSTOPASS());
    assertEquals(Instant.parse("2022-03-03T15:14:54Z"), t.getCreatedAt());
    assertEquals("4.3", t.getVersion());
    assertTrue(t.getPatch().contains("cright[-right.shape[0]:, -right.shape[1]:] = right\n"));
    assertEquals(List.of("astropy/modeling/separable.py", "astropy/modeling/tests/test_separable.py"),
        t.getModifiedFiles());
    assertEquals(List.of("astropy/modeling/tests/test_separable.py"), t.getHiddenTests());
    assertEquals("swebench/sweb.eval.x86_64.astropy_1776_astropy-12907:latest", t.getEnvironment().getImage());
    assertEquals(t.getEnvironment().getImage(), t.getDockerImage());
    assertEquals(ImportDefaults.SWEBENCH_TEST_COMMAND, t.getEnvironment().getTestCommand());
    assertEquals("user", t.getSource());
    assertEquals("", t.getCommitHash());
  }

  @Test
  void theImageOptionIsUsedWhenTheRowNamesNone() throws Exception {
    final TaskInstance t = TaskRowFormat.SWEBENCH.fromRow(RowFields.JSON.readTree(SWE_BENCH_LINE),
        ImportDefaults.of(TaskRowFormat.SWEBENCH, "registry.local/astropy:4.3"));

    assertEquals("registry.local/astropy:4.3", t.getEnvironment().getImage());
  }

  @Test
  void aTaskSurvivesTheRoundTripOnEveryFieldTheFormatCarries() throws Exception {
    final TaskInstance task = TaskInstance.newBuilder(TaskSamples.task("c0ffee")).setHintsText("see #12")
        .setVersion("1.2").build();
    final ImportDefaults defaults = ImportDefaults.of(TaskRowFormat.SWEBENCH, null);

    final ObjectNode row = SweBenchRows.toRow(task);
    final TaskInstance back = TaskRowFormat.SWEBENCH.fromRow(RowFields.JSON.readTree(RowFields.write(row)), defaults);

    assertTrue(row.get("FAIL_TO_PASS").isTextual(), "JSON-encoded, as in the Hugging Face dataset");
    assertEquals("[\"tests/test_area.py::test_area\"]", row.get("FAIL_TO_PASS").asText());
    // Not carried: commit_hash, entities, relevant files, stats, expected output, prompt, flaky tests, environment
    // beyond the image. Derived on import: repo_name, modified_files, hidden_tests (here equal to the originals).
    final TaskInstance expected = TaskInstance.newBuilder(task).setCommitHash("")
        .setModifiedEntitySummaries(List.of()).setRelevantFiles(List.of()).setNumNonTestFiles(0)
        .setNumNonTestFuncMethods(0).setNumNonTestLines(0).setExpectedOutputJson("{}").setPrompt("")
        .setFlakyTests(List.of()).setEnvironment(defaults.environment(task.getDockerImage())).build();
    assertEquals(expected, back);
  }

  @Test
  void missingRequiredFieldsAndMistypedListsAreNamed() throws Exception {
    final ObjectNode row = (ObjectNode) RowFields.JSON.readTree(SWE_BENCH_LINE);
    row.remove("base_commit");
    final RowException missing = assertThrows(RowException.class,
        () -> TaskRowFormat.SWEBENCH.fromRow(row, ImportDefaults.of(TaskRowFormat.SWEBENCH, null)));
    assertEquals("field 'base_commit' is required and must be a non-empty string", missing.getMessage());

    final ObjectNode bad = (ObjectNode) RowFields.JSON.readTree(SWE_BENCH_LINE);
    bad.put("FAIL_TO_PASS", "test_a, test_b");
    final RowException mistyped = assertThrows(RowException.class,
        () -> TaskRowFormat.SWEBENCH.fromRow(bad, ImportDefaults.of(TaskRowFormat.SWEBENCH, null)));
    assertTrue(mistyped.getMessage().startsWith("field 'FAIL_TO_PASS' must be a JSON array of strings"),
        mistyped.getMessage());
  }
}
