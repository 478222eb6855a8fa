package io.r2estream.producers.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.r2estream.avro.Entity;
import io.r2estream.avro.EntityChange;
import io.r2estream.avro.EntityKind;
import io.r2estream.avro.TaskInstance;
import io.r2estream.topics.TaskIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@link TaskInstance} ↔ R2E-Gym dataset row (reference section 1.1): {@code repo_name}, {@code docker_image},
 * {@code commit_hash}, {@code parsed_commit_content} (a ParsedCommit JSON string, see {@link ParsedCommitJson}),
 * {@code execution_result_content} (an ExecutionResult JSON string), {@code modified_files},
 * {@code modified_entity_summaries}, {@code relevant_files}, the {@code num_*} statistics, {@code prompt},
 * {@code problem_statement} and {@code expected_output_json}.
 *
 * <p>R2E-Gym's {@code problem_statement} is the LLM completion with the issue between {@code [ISSUE]} and
 * {@code [/ISSUE]}; export wraps the task's statement in those tags and import takes the tagged block (the whole
 * text when untagged). R2E rows have no FAIL_TO_PASS / PASS_TO_PASS (agentica issue #14), no instance id and no
 * full repository name: export adds the extension columns {@code instance_id}, {@code repo},
 * {@code FAIL_TO_PASS}, {@code PASS_TO_PASS}, {@code flaky_tests}, {@code source} and
 * {@code problem_statement_source}, which R2E-Gym's loaders ignore. The ExecutionResult carries
 * {@code repo_name}, {@code new_commit_hash} and the hidden test files as {@code test_file_names}; run logs are not
 * part of a task (empty strings, null exit codes).
 *
 * <p>Round trip (task → row → task) keeps: instance_id, repo, base_commit, patch, test_patch, FAIL_TO_PASS,
 * PASS_TO_PASS, problem_statement, created_at (milliseconds), environment.image, commit_hash, repo_name,
 * docker_image, modified_files, modified_entity_summaries, relevant_files, num_*, expected_output_json, prompt,
 * source, hidden_tests, flaky_tests, problem_statement_source. Not carried: hints_text and version (import: empty),
 * the environment beyond its image (import: {@link ImportDefaults}).
 *
 * <p>Import of a plain R2E-Gym row: instance_id = {@code <repo_name>@<commit_hash>}, repo = repo_name, base_commit
 * = the ParsedCommit's {@code old_commit_hash} (R2E writes {@code <sha>^}, a valid revision), created_at = its
 * {@code commit_date} (epoch when absent), FAIL_TO_PASS and PASS_TO_PASS empty (R2E grades by exact match against
 * expected_output_json), source = {@code user}.
 */
public final class R2eGymRows {

  private static final String ISSUE_OPEN = "[ISSUE]";
  private static final String ISSUE_CLOSE = "[/ISSUE]";

  private R2eGymRows() {
  }

  public static ObjectNode toRow(final TaskInstance t) {
    final ObjectNode row = RowFields.JSON.createObjectNode();
    row.put("repo_name", t.getRepoName());
    row.put("docker_image", t.getDockerImage().isEmpty() ? t.getEnvironment().getImage() : t.getDockerImage());
    row.put("commit_hash", t.getCommitHash());
    row.put("parsed_commit_content", RowFields.write(ParsedCommitJson.of(
        new ParsedCommitJson.Patches(t.getPatch(), t.getTestPatch()), t.getBaseCommit(), t.getCommitHash(),
        t.getCreatedAt().toString())));
    row.put("execution_result_content", RowFields.write(executionResult(t)));
    row.set("modified_files", RowFields.array(t.getModifiedFiles()));
    final ArrayNode entities = row.putArray("modified_entity_summaries");
    t.getModifiedEntitySummaries().forEach(e -> entities.add(summary(e)));
    row.set("relevant_files", RowFields.array(t.getRelevantFiles()));
    row.put("num_non_test_files", t.getNumNonTestFiles());
    row.put("num_non_test_func_methods", t.getNumNonTestFuncMethods());
    row.put("num_non_test_lines", t.getNumNonTestLines());
    row.put("prompt", t.getPrompt());
    row.put("problem_statement", ISSUE_OPEN + "\n" + t.getProblemStatement() + "\n" + ISSUE_CLOSE);
    row.put("expected_output_json", t.getExpectedOutputJson());
    row.put("instance_id", t.getInstanceId());
    row.put("repo", t.getRepo());
    row.set("FAIL_TO_PASS", RowFields.array(t.getFAILTOPASS()));
    row.set("PASS_TO_PASS", RowFields.array(t.getPASSTOPASS()));
    row.set("flaky_tests", RowFields.array(t.getFlakyTests()));
    row.put("source", t.getSource());
    row.put("problem_statement_source", t.getProblemStatementSource());
    return row;
  }

  static TaskInstance fromRow(final JsonNode row, final ImportDefaults defaults) {
    final String repoName = RowFields.required(row, "repo_name");
    final String commit = RowFields.required(row, "commit_hash");
    final String image = RowFields.required(row, "docker_image");
    final JsonNode parsed = RowFields.embeddedJson(row, "parsed_commit_content");
    if (parsed == null) {
      throw new RowException("field 'parsed_commit_content' is required: it holds the gold patch");
    }
    final ParsedCommitJson.Patches patches = ParsedCommitJson.patches(parsed);
    final JsonNode execution = RowFields.embeddedJson(row, "execution_result_content");
    final String repo = RowFields.optional(row, "repo", repoName);
    final String instanceId = RowFields.optional(row, "instance_id", TaskIds.of(repo, commit));
    return TaskInstance.newBuilder()
        .setInstanceId(instanceId)
        .setRepo(repo)
        .setBaseCommit(RowFields.optional(parsed, "old_commit_hash", commit + "^"))
        .setPatch(patches.patch())
        .setTestPatch(patches.testPatch())
        .setFAILTOPASS(RowFields.strings(row, "FAIL_TO_PASS"))
        .setPASSTOPASS(RowFields.strings(row, "PASS_TO_PASS"))
        .setProblemStatement(issue(RowFields.required(row, "problem_statement")))
        .setCreatedAt(RowFields.instant(parsed, "commit_date", Instant.EPOCH))
        .setEnvironment(defaults.environment(image))
        .setCommitHash(commit)
        .setRepoName(repoName)
        .setDockerImage(image)
        .setModifiedFiles(RowFields.strings(row, "modified_files"))
        .setModifiedEntitySummaries(entities(row))
        .setRelevantFiles(RowFields.strings(row, "relevant_files"))
        .setNumNonTestFiles(RowFields.integer(row, "num_non_test_files", 0))
        .setNumNonTestFuncMethods(RowFields.integer(row, "num_non_test_func_methods", 0))
        .setNumNonTestLines(RowFields.integer(row, "num_non_test_lines", 0))
        .setExpectedOutputJson(RowFields.statusMapJson(row, "expected_output_json"))
        .setPrompt(RowFields.optional(row, "prompt", ""))
        .setSource(RowFields.optional(row, "source", TaskPublisher.USER_SOURCE))
        .setHiddenTests(execution == null ? List.of() : RowFields.strings(execution, "test_file_names"))
        .setFlakyTests(RowFields.strings(row, "flaky_tests"))
        .setProblemStatementSource(RowFields.optional(row, "problem_statement_source", TaskPublisher.USER_SOURCE))
        .build();
  }

  /** The issue between the tags of an R2E-Gym completion, or the whole text when it has none. */
  static String issue(final String completion) {
    final int close = completion.lastIndexOf(ISSUE_CLOSE);
    final int open = close < 0 ? -1 : completion.lastIndexOf(ISSUE_OPEN, close);
    if (open < 0) {
      return completion.strip();
    }
    String inner = completion.substring(open + ISSUE_OPEN.length(), close);
    inner = inner.startsWith("\n") ? inner.substring(1) : inner;
    return inner.endsWith("\n") ? inner.substring(0, inner.length() - 1) : inner;
  }

  private static ObjectNode executionResult(final TaskInstance t) {
    final ObjectNode e = RowFields.JSON.createObjectNode();
    e.put("repo_name", t.getRepoName());
    e.put("new_commit_hash", t.getCommitHash());
    e.putArray("test_file_codes");
    e.set("test_file_names", RowFields.array(t.getHiddenTests()));
    for (final String run : List.of("setup_res", "new_commit_res", "old_commit_res")) {
      e.putNull(run + "_code");
      e.put(run + "_stdout", "");
      e.put(run + "_stderr", "");
    }
    return e;
  }

  private static ObjectNode summary(final Entity e) {
    final ObjectNode s = RowFields.JSON.createObjectNode();
    s.put("file_name", e.getFile());
    s.put("type", e.getKind().name().toLowerCase(Locale.ROOT));
    s.put("name", e.getName());
    s.put("ast_type_str", e.getKind() == EntityKind.CLASS ? "ClassDef" : "FunctionDef");
    s.put("start_lineno", e.getStartLine());
    s.put("end_lineno", e.getEndLine());
    s.put("change", e.getChange().name().toLowerCase(Locale.ROOT));
    return s;
  }

  private static List<Entity> entities(final JsonNode row) {
    final JsonNode list = row.get("modified_entity_summaries");
    final List<Entity> out = new ArrayList<>();
    if (list == null || list.isNull()) {
      return out;
    }
    if (!list.isArray()) {
      throw new RowException("field 'modified_entity_summaries' must be an array of objects");
    }
    for (final JsonNode s : list) {
      final String type = RowFields.optional(s, "type", "function").toUpperCase(Locale.ROOT);
      final EntityKind kind;
      try {
        kind = EntityKind.valueOf(type);
      } catch (IllegalArgumentException e) {
        // statements and imports are not entities a task lists
        continue;
      }
      final String change = RowFields.optional(s, "change", "modified");
      final EntityChange entityChange;
      try {
        entityChange = EntityChange.valueOf(change.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new RowException("modified_entity_summaries: change must be added, modified or deleted, got '"
            + change + "'");
      }
      out.add(new Entity(RowFields.required(s, "file_name"), kind, RowFields.required(s, "name"), entityChange,
          RowFields.integer(s, "start_lineno", 0), RowFields.integer(s, "end_lineno", 0)));
    }
    return out;
  }
}
