package io.r2estream.producers.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.r2estream.avro.TaskInstance;
import io.r2estream.producers.commits.FileClassifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link TaskInstance} ↔ SWE-bench dataset row as on Hugging Face ({@code princeton-nlp/SWE-bench} and its
 * Lite/Verified subsets): {@code repo}, {@code instance_id}, {@code base_commit}, {@code patch},
 * {@code test_patch}, {@code problem_statement}, {@code hints_text}, {@code created_at} (ISO-8601),
 * {@code version}, {@code FAIL_TO_PASS} and {@code PASS_TO_PASS} (JSON-encoded strings; import also takes arrays)
 * and {@code environment_setup_commit}. Export adds R2E-Gym's {@code docker_image} (reference section 1.4) and the
 * extension columns {@code source} and {@code problem_statement_source}.
 *
 * <p>Round trip keeps: instance_id, repo, base_commit, patch, test_patch, problem_statement, hints_text,
 * created_at (seconds, as SWE-bench writes it), version, FAIL_TO_PASS, PASS_TO_PASS, environment.image and
 * docker_image, source, problem_statement_source. Import derives: repo_name (last segment of repo),
 * modified_files (the paths of patch and test_patch), hidden_tests (the test files of test_patch). Not carried:
 * commit_hash (import: empty), entity summaries, relevant_files, num_*, expected_output_json ({@code {}}), prompt,
 * flaky_tests, the environment beyond its image ({@link ImportDefaults}); {@code environment_setup_commit} is
 * written as base_commit and ignored on import.
 */
public final class SweBenchRows {

  private SweBenchRows() {
  }

  public static ObjectNode toRow(final TaskInstance t) {
    final ObjectNode row = RowFields.JSON.createObjectNode();
    row.put("repo", t.getRepo());
    row.put("instance_id", t.getInstanceId());
    row.put("base_commit", t.getBaseCommit());
    row.put("patch", t.getPatch());
    row.put("test_patch", t.getTestPatch());
    row.put("problem_statement", t.getProblemStatement());
    row.put("hints_text", t.getHintsText());
    row.put("created_at", t.getCreatedAt().toString());
    row.put("version", t.getVersion());
    row.put("FAIL_TO_PASS", RowFields.write(RowFields.array(t.getFAILTOPASS())));
    row.put("PASS_TO_PASS", RowFields.write(RowFields.array(t.getPASSTOPASS())));
    row.put("environment_setup_commit", t.getBaseCommit());
    row.put("docker_image", t.getDockerImage().isEmpty() ? t.getEnvironment().getImage() : t.getDockerImage());
    row.put("source", t.getSource());
    row.put("problem_statement_source", t.getProblemStatementSource());
    return row;
  }

  static TaskInstance fromRow(final JsonNode row, final ImportDefaults defaults) {
    final String instanceId = RowFields.required(row, "instance_id");
    final String repo = RowFields.required(row, "repo");
    final String patch = RowFields.required(row, "patch");
    final String testPatch = RowFields.optional(row, "test_patch", "");
    final String image = defaults.imageFor(RowFields.optional(row, "docker_image", null), instanceId);
    final Set<String> modified = new LinkedHashSet<>(ParsedCommitJson.paths(patch));
    final List<String> testFiles = ParsedCommitJson.paths(testPatch);
    modified.addAll(testFiles);
    return TaskInstance.newBuilder()
        .setInstanceId(instanceId)
        .setRepo(repo)
        .setBaseCommit(RowFields.required(row, "base_commit"))
        .setPatch(patch)
        .setTestPatch(testPatch)
        .setFAILTOPASS(RowFields.strings(row, "FAIL_TO_PASS"))
        .setPASSTOPASS(RowFields.strings(row, "PASS_TO_PASS"))
        .setProblemStatement(RowFields.required(row, "problem_statement"))
        .setHintsText(RowFields.optional(row, "hints_text", ""))
        .setCreatedAt(RowFields.instant(row, "created_at", Instant.EPOCH))
        .setVersion(versionOf(row))
        .setEnvironment(defaults.environment(image))
        .setCommitHash("")
        .setRepoName(repo.substring(repo.lastIndexOf('/') + 1))
        .setDockerImage(image)
        .setModifiedFiles(new ArrayList<>(modified))
        .setHiddenTests(testFiles.stream().filter(FileClassifier::isTestFile).toList())
        .setSource(RowFields.optional(row, "source", TaskPublisher.USER_SOURCE))
        .setProblemStatementSource(RowFields.optional(row, "problem_statement_source", TaskPublisher.USER_SOURCE))
        .build();
  }

  /** SWE-bench versions are strings ("3.0"); some re-uploads store them as numbers. */
  private static String versionOf(final JsonNode row) {
    final JsonNode v = row.get("version");
    return v == null || v.isNull() ? "" : v.isNumber() ? v.asText() : RowFields.optional(row, "version", "");
  }
}
