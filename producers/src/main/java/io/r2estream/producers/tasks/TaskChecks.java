package io.r2estream.producers.tasks;

import io.r2estream.avro.TaskInstance;
import java.util.ArrayList;
import java.util.List;

/** The fields a task must have to be published: what the rollout workers and graders cannot do without. */
public final class TaskChecks {

  private TaskChecks() {
  }

  /** Every problem of the task, one sentence each; empty when it can be published. */
  public static List<String> problems(final TaskInstance t) {
    final List<String> p = new ArrayList<>();
    requireText(p, "instance_id", t.getInstanceId());
    requireText(p, "repo", t.getRepo());
    requireText(p, "base_commit", t.getBaseCommit());
    requireText(p, "patch", t.getPatch());
    requireText(p, "problem_statement", t.getProblemStatement());
    if (t.getEnvironment() == null) {
      p.add("environment is required");
    } else {
      requireText(p, "environment image", t.getEnvironment().getImage());
      requireText(p, "environment test_command", t.getEnvironment().getTestCommand());
    }
    if (t.getFAILTOPASS().isEmpty() && "{}".equals(t.getExpectedOutputJson().replace(" ", ""))) {
      p.add("FAIL_TO_PASS is empty and so is expected_output_json: nothing would grade the task");
    }
    return p;
  }

  /** Throws a {@link RowException} naming every problem of the task. */
  public static TaskInstance require(final TaskInstance t) {
    final List<String> p = problems(t);
    if (!p.isEmpty()) {
      throw new RowException(String.join("; ", p));
    }
    return t;
  }

  private static void requireText(final List<String> problems, final String field, final String value) {
    if (value == null || value.isBlank()) {
      problems.add(field + " is required and must not be blank");
    }
  }
}
