package io.r2estream.streams.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.r2estream.avro.EditStats;
import io.r2estream.avro.EnvCandidate;
import io.r2estream.avro.EnvValidation;
import io.r2estream.avro.ProblemStatement;
import io.r2estream.avro.TaskInstance;
import io.r2estream.avro.ValidationStatus;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Builds the {@link TaskInstance} of a validated environment and its problem statement: the SWE-bench fields
 * (instance_id, repo, base_commit, patch, test_patch, FAIL_TO_PASS, PASS_TO_PASS, problem_statement, created_at)
 * and the R2E-Gym fields (commit_hash, repo_name, docker_image, modified_files, entity summaries, relevant_files,
 * size statistics, expected_output_json, prompt). Pure functions, so that the topology and its tests agree.
 */
public final class TaskInstances {

  /** {@code TaskInstance.source} of the tasks SWE-GEN produced. */
  public static final String SOURCE = "swegen";

  private static final ObjectMapper JSON = new ObjectMapper();

  private TaskInstances() {
  }

  /**
   * Whether a validation makes a task: the new commit is better (some test goes from failing to passing) and the
   * gold patch, applied to the parent, resolves the FAIL_TO_PASS tests while keeping PASS_TO_PASS passing.
   */
  public static boolean qualifies(final EnvValidation validation) {
    return validation != null && validation.getStatus() == ValidationStatus.NEW_COMMIT_BETTER
        && validation.getGoldPatchResolves();
  }

  /**
   * Why a validation keyed {@code key} cannot be assembled into a task, or empty when it can (or does not qualify
   * and so is never assembled). A qualifying validation needs its candidate (the patches) and its environment.
   */
  public static Optional<String> defect(final String key, final EnvValidation validation) {
    if (validation == null) {
      return Optional.empty();
    }
    if (!validation.getTaskId().equals(key)) {
      return Optional.of("record key '" + key + "' is not the task id '" + validation.getTaskId() + "'");
    }
    if (!qualifies(validation)) {
      return Optional.empty();
    }
    if (validation.getCandidate() == null) {
      return Optional.of("validation of " + key + " is NEW_COMMIT_BETTER but carries no candidate");
    }
    if (validation.getEnvironment() == null) {
      return Optional.of("validation of " + key + " is NEW_COMMIT_BETTER but carries no environment");
    }
    return Optional.empty();
  }

  /** Why a problem statement keyed {@code key} cannot be used, or empty when it can. */
  public static Optional<String> defect(final String key, final ProblemStatement statement) {
    if (statement == null || statement.getTaskId().equals(key)) {
      return Optional.empty();
    }
    return Optional.of("record key '" + key + "' is not the task id '" + statement.getTaskId() + "'");
  }

  /**
   * The task of a qualifying validation and its statement.
   *
   * @throws IllegalArgumentException when {@link #defect} names a defect or the validation does not qualify
   */
  public static TaskInstance from(final EnvValidation validation, final ProblemStatement statement) {
    if (!qualifies(validation)) {
      throw new IllegalArgumentException("validation of " + validation.getTaskId() + " is "
          + validation.getStatus() + " (gold patch resolves: " + validation.getGoldPatchResolves()
          + "), not a task");
    }
    defect(validation.getTaskId(), validation).ifPresent(d -> {
      throw new IllegalArgumentException(d);
    });
    final EnvCandidate candidate = validation.getCandidate();
    final EditStats stats = candidate.getStats();
    return TaskInstance.newBuilder()
        .setInstanceId(validation.getTaskId())
        .setRepo(validation.getRepository())
        .setBaseCommit(candidate.getParentSha())
        .setPatch(candidate.getCodePatch())
        .setTestPatch(candidate.getTestPatch())
        .setFAILTOPASS(new ArrayList<>(validation.getFailToPass()))
        .setPASSTOPASS(new ArrayList<>(validation.getPassToPass()))
        .setProblemStatement(statement.getProblemStatement())
        .setProblemStatementSource(statement.getSource())
        .setCreatedAt(candidate.getCommitTime())
        .setEnvironment(validation.getEnvironment())
        .setCommitHash(validation.getCommitSha())
        .setRepoName(shortName(validation.getRepository()))
        .setDockerImage(validation.getEnvironment().getImage())
        .setModifiedFiles(new ArrayList<>(candidate.getModifiedFiles()))
        .setModifiedEntitySummaries(new ArrayList<>(candidate.getModifiedEntities()))
        .setRelevantFiles(new ArrayList<>(validation.getRelevantFiles()))
        .setNumNonTestFiles(stats.getNonTestFiles())
        .setNumNonTestFuncMethods(funcMethods(stats))
        .setNumNonTestLines(stats.getNonTestEditedLines())
        .setExpectedOutputJson(expectedOutputJson(validation.getExpectedOutput()))
        .setPrompt(statement.getPrompt())
        .setSource(SOURCE)
        .setSourceUrl(validation.getCandidate() == null ? null : validation.getCandidate().getSourceUrl())
        .setHiddenTests(new ArrayList<>(validation.getHiddenTests()))
        .setFlakyTests(new ArrayList<>(validation.getFlakyTests()))
        .build();
  }

  /**
   * R2E-Gym's {@code num_non_test_func_methods}: every non-test function, method and class the commit touches
   * (R2E counts classes in it too), i.e. the added, deleted and edited entities of the SWE-GEN analysis.
   */
  public static int funcMethods(final EditStats stats) {
    return stats.getAddedEntities() + stats.getDeletedEntities() + stats.getEditedEntities();
  }

  /** R2E-Gym's {@code repo_name}: the last path segment of the repository id ({@code owner/name} → {@code name}). */
  public static String shortName(final String repository) {
    final String trimmed = repository.endsWith("/") ? repository.substring(0, repository.length() - 1) : repository;
    final String last = trimmed.substring(trimmed.lastIndexOf('/') + 1);
    return last.endsWith(".git") ? last.substring(0, last.length() - ".git".length()) : last;
  }

  /** The status map as a JSON object with sorted keys, so that equal maps give equal strings. */
  public static String expectedOutputJson(final Map<? extends CharSequence, ? extends CharSequence> statuses) {
    final Map<String, String> sorted = new TreeMap<>();
    statuses.forEach((k, v) -> sorted.put(k.toString(), v.toString()));
    try {
      return JSON.writeValueAsString(sorted);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a string map as JSON", e);
    }
  }
}
