package io.r2estream.streams.tasks;

import io.r2estream.avro.EditStats;
import io.r2estream.avro.Entity;
import io.r2estream.avro.EntityChange;
import io.r2estream.avro.EntityKind;
import io.r2estream.avro.EnvCandidate;
import io.r2estream.avro.EnvValidation;
import io.r2estream.avro.EnvironmentRef;
import io.r2estream.avro.ProblemStatement;
import io.r2estream.avro.ValidationStatus;
import io.r2estream.topics.TaskIds;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Validations and statements of one task, as the validation worker and the back-translator write them. */
final class TaskFixtures {

  static final String REPOSITORY = "acme/widgets";
  static final Instant COMMIT_TIME = Instant.parse("2025-03-04T05:06:07Z");
  static final String CODE_PATCH = """
      diff --git a/widgets/area.py b/widgets/area.py
      index 1111111..2222222 100644
      --- a/widgets/area.py
      +++ b/widgets/area.py
      @@ -1,3 +1,3 @@
       def area(w, h):
      -    return w + h
      +    return w * h
      """;
  static final String TEST_PATCH = """
      diff --git a/tests/test_area.py b/tests/test_area.py
      new file mode 100644
      index 0000000..3333333
      --- /dev/null
      +++ b/tests/test_area.py
      @@ -0,0 +1,2 @@
      +def test_area():
      +    assert area(2, 3) == 6
      """;

  private TaskFixtures() {
  }

  static String taskId(final String sha) {
    return TaskIds.of(REPOSITORY, sha);
  }

  static EnvCandidate candidate(final String sha) {
    return EnvCandidate.newBuilder()
        .setTaskId(taskId(sha)).setRepository(REPOSITORY).setCommitSha(sha).setParentSha(sha + "-parent")
        .setCommitMessage("Fix area").setCommitTime(COMMIT_TIME).setCodePatch(CODE_PATCH).setTestPatch(TEST_PATCH)
        .setModifiedFiles(List.of("widgets/area.py", "tests/test_area.py"))
        .setTestFiles(List.of("tests/test_area.py"))
        .setModifiedEntities(List.of(
            new Entity("widgets/area.py", EntityKind.FUNCTION, "area", EntityChange.MODIFIED, 1, 2),
            new Entity("widgets/area.py", EntityKind.CLASS, "Shape", EntityChange.ADDED, 5, 9),
            new Entity("widgets/area.py", EntityKind.METHOD, "Shape.size", EntityChange.ADDED, 6, 9)))
        .setTestEntities(List.of())
        .setStats(EditStats.newBuilder().setFiles(2).setNonTestFiles(1).setTestFiles(1).setHunks(2)
            .setNonTestEditedLines(2).setAddedEntities(2).setEditedEntities(1).setDeletedEntities(0).build())
        .setSelectedAt(COMMIT_TIME.plusSeconds(60))
        .build();
  }

  static EnvironmentRef environment() {
    return EnvironmentRef.newBuilder().setImage("r2e-env/widgets:3f2a").setTestCommand("pytest -rA tests")
        .setFingerprint("3f2a").build();
  }

  /** A validation of the commit {@code sha} with the given verdict. */
  static EnvValidation validation(final String sha, final ValidationStatus status, final boolean goldResolves) {
    return EnvValidation.newBuilder()
        .setTaskId(taskId(sha)).setRepository(REPOSITORY).setCommitSha(sha).setStatus(status)
        .setEnvironment(environment())
        .setFailToPass(List.of("tests/test_area.py::test_area"))
        .setPassToPass(List.of("tests/test_other.py::test_ok"))
        .setFlakyTests(List.of("tests/test_other.py::test_sometimes"))
        .setExpectedOutput(Map.of("tests/test_other.py::test_ok", "PASSED", "tests/test_area.py::test_area", "PASSED"))
        .setValidatedAt(COMMIT_TIME.plusSeconds(3600))
        .setCandidate(candidate(sha))
        .setHiddenTests(List.of("tests/test_area.py"))
        .setGoldPatchResolves(goldResolves)
        .setRelevantFiles(List.of("widgets/area.py"))
        .setRelevantFilesChecked(true)
        .build();
  }

  static EnvValidation better(final String sha) {
    return validation(sha, ValidationStatus.NEW_COMMIT_BETTER, true);
  }

  static ProblemStatement statement(final String sha, final String text) {
    return ProblemStatement.newBuilder().setTaskId(taskId(sha)).setProblemStatement(text)
        .setRawCompletion("analysis\n[ISSUE]\n" + text + "\n[/ISSUE]").setPrompt("Write an issue for " + sha)
        .setModel("test-model").setWrittenAt(COMMIT_TIME.plusSeconds(7200)).setSource("llm").build();
  }
}
