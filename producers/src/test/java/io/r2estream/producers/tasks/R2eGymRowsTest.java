package io.r2estream.producers.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.r2estream.avro.EntityKind;
import io.r2estream.avro.TaskInstance;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class R2eGymRowsTest {

  private static final ImportDefaults DEFAULTS = ImportDefaults.of(TaskRowFormat.R2EGYM, null);

  @Test
  void aTaskSurvivesTheRoundTripOnEveryFieldTheFormatCarries() throws Exception {
    final TaskInstance task = TaskSamples.task("c0ffee");

    final String line = RowFields.write(R2eGymRows.toRow(task));
    final TaskInstance back = TaskRowFormat.R2EGYM.fromRow(RowFields.JSON.readTree(line), DEFAULTS);

    // not carried: hints_text, version, the environment beyond its image
    final TaskInstance expected = TaskInstance.newBuilder(task).setHintsText("").setVersion("")
        .setEnvironment(DEFAULTS.environment(task.getDockerImage())).build();
    assertEquals(expected, back);
  }

  @Test
  void writesTheColumnsOfR2eGymsDatasetRow() {
    final ObjectNode row = R2eGymRows.toRow(TaskSamples.task("c0ffee"));

    for (final String column : List.of("repo_name", "docker_image", "commit_hash", "parsed_commit_content",
        "execution_result_content", "modified_files", "modified_entity_summaries", "relevant_files",
        "num_non_test_files", "num_non_test_func_methods", "num_non_test_lines", "prompt", "problem_statement",
        "expected_output_json")) {
      assertTrue(row.has(column), column);
    }
    assertTrue(row.get("parsed_commit_content").isTextual(), "a JSON string, as in the dataset");
    assertEquals("[ISSUE]\narea() adds its sides.\n\nExpected `area(2, 3) == 6`, got 5.\n[/ISSUE]",
        row.get("problem_statement").asText());
    final JsonNode entity = row.get("modified_entity_summaries").get(1);
    assertEquals("class", entity.get("type").asText());
    assertEquals("ClassDef", entity.get("ast_type_str").asText());
    assertEquals("widgets/shape.py", entity.get("file_name").asText());
    assertEquals(1, entity.get("start_lineno").asInt());
  }

  @Test
  void importsAPlainR2eGymRowWithTheDocumentedDefaults() throws Exception {
    // The columns of R2E-Gym-Subset, without any extension column; the completion has an analysis before the issue.
    final String parsedCommit = RowFields.write(ParsedCommitJson.of(
        new ParsedCommitJson.Patches(TaskSamples.PATCH, TaskSamples.TEST_PATCH), "c0ffee^", "c0ffee",
        "2019-03-05T10:11:12"));
    final ObjectNode row = RowFields.JSON.createObjectNode();
    row.put("repo_name", "pillow");
    row.put("docker_image", "namanjain12/pillow_final:c0ffee");
    row.put("commit_hash", "c0ffee");
    row.put("parsed_commit_content", parsedCommit.replace(",\"metadata\":{\"test_files\":[\"tests/test_area.py\"]}",
        ",\"metadata\":{}"));
    row.put("execution_result_content", "{\"repo_name\":\"pillow\",\"test_file_names\":[\"test_1.py\"]}");
    row.set("modified_files", RowFields.array(List.of("widgets/area.py")));
    row.set("modified_entity_summaries", RowFields.JSON.readTree("[{\"file_name\":\"widgets/area.py\","
        + "\"type\":\"function\",\"name\":\"area\",\"ast_type_str\":\"FunctionDef\",\"start_lineno\":1,"
        + "\"end_lineno\":2},{\"file_name\":\"widgets/area.py\",\"type\":\"statement\",\"name\":\"x\"}]"));
    row.set("relevant_files", RowFields.array(List.of("widgets/area.py")));
    row.put("num_non_test_files", 1);
    row.put("num_non_test_func_methods", 1);
    row.put("num_non_test_lines", 2);
    row.put("prompt", "Write an issue.");
    row.put("problem_statement", "The change fixes area.\n\n[ISSUE]\nTitle: area is wrong\n[/ISSUE]");
    row.put("expected_output_json", "{\"test_1.py::test_area\": \"PASSED\"}");

    final TaskInstance t = TaskRowFormat.R2EGYM.fromRow(row, DEFAULTS);

    assertEquals("pillow@c0ffee", t.getInstanceId());
    assertEquals("pillow", t.getRepo());
    assertEquals("c0ffee^", t.getBaseCommit());
    assertEquals(TaskSamples.PATCH, t.getPatch());
    assertEquals(TaskSamples.TEST_PATCH, t.getTestPatch());
    assertEquals("Title: area is wrong", t.getProblemStatement());
    assertEquals(Instant.parse("2019-03-05T10:11:12Z"), t.getCreatedAt());
    assertEquals("namanjain12/pillow_final:c0ffee", t.getEnvironment().getImage());
    assertEquals(ImportDefaults.R2E_TEST_COMMAND, t.getEnvironment().getTestCommand());
    assertEquals(List.of(), t.getFAILTOPASS());
    assertEquals("{\"test_1.py::test_area\":\"PASSED\"}", t.getExpectedOutputJson());
    assertEquals(List.of("test_1.py"), t.getHiddenTests());
    assertEquals(1, t.getModifiedEntitySummaries().size(), "statements are not entities of a task");
    assertEquals(EntityKind.FUNCTION, t.getModifiedEntitySummaries().get(0).getKind());
    assertEquals("user", t.getSource());
  }

  @Test
  void aRowWithoutAnythingToGradeOrWithoutTheGoldPatchIsRefused() throws Exception {
    final ObjectNode row = R2eGymRows.toRow(TaskSamples.task("c0ffee"));
    row.put("expected_output_json", "{}");
    row.set("FAIL_TO_PASS", RowFields.JSON.createArrayNode());
    final RowException nothing = assertThrows(RowException.class, () -> TaskRowFormat.R2EGYM.fromRow(row, DEFAULTS));
    assertTrue(nothing.getMessage().contains("nothing would grade the task"), nothing.getMessage());

    row.remove("parsed_commit_content");
    final RowException noPatch = assertThrows(RowException.class, () -> TaskRowFormat.R2EGYM.fromRow(row, DEFAULTS));
    assertEquals("field 'parsed_commit_content' is required: it holds the gold patch", noPatch.getMessage());
  }
}
