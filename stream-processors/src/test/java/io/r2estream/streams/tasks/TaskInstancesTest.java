package io.r2estream.streams.tasks;

import static io.r2estream.streams.tasks.TaskFixtures.better;
import static io.r2estream.streams.tasks.TaskFixtures.statement;
import static io.r2estream.streams.tasks.TaskFixtures.validation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.avro.EnvValidation;
import io.r2estream.avro.TaskInstance;
import io.r2estream.avro.ValidationStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TaskInstancesTest {

  @Test
  void mapsEverySweBenchAndR2eGymField() {
    final EnvValidation v = better("c0ffee");

    final TaskInstance t = TaskInstances.from(v, statement("c0ffee", "area() adds instead of multiplying"));

    assertEquals("acme/widgets@c0ffee", t.getInstanceId());
    assertEquals("acme/widgets", t.getRepo());
    assertEquals("c0ffee-parent", t.getBaseCommit());
    assertEquals(TaskFixtures.CODE_PATCH, t.getPatch());
    assertEquals(TaskFixtures.TEST_PATCH, t.getTestPatch());
    assertEquals(List.of("tests/test_area.py::test_area"), t.getFAILTOPASS());
    assertEquals(List.of("tests/test_other.py::test_ok"), t.getPASSTOPASS());
    assertEquals("area() adds instead of multiplying", t.getProblemStatement());
    assertEquals("llm", t.getProblemStatementSource());
    assertEquals("Write an issue for c0ffee", t.getPrompt());
    assertEquals(TaskFixtures.COMMIT_TIME, t.getCreatedAt());
    assertEquals(TaskFixtures.environment(), t.getEnvironment());
    assertEquals("c0ffee", t.getCommitHash());
    assertEquals("widgets", t.getRepoName());
    assertEquals("r2e-env/widgets:3f2a", t.getDockerImage());
    assertEquals(List.of("widgets/area.py", "tests/test_area.py"), t.getModifiedFiles());
    assertEquals(v.getCandidate().getModifiedEntities(), t.getModifiedEntitySummaries());
    assertEquals(List.of("widgets/area.py"), t.getRelevantFiles());
    assertEquals(1, t.getNumNonTestFiles());
    assertEquals(3, t.getNumNonTestFuncMethods(), "function + class + method, as R2E-Gym counts");
    assertEquals(2, t.getNumNonTestLines());
    assertEquals("{\"tests/test_area.py::test_area\":\"PASSED\",\"tests/test_other.py::test_ok\":\"PASSED\"}",
        t.getExpectedOutputJson());
    assertEquals(List.of("tests/test_area.py"), t.getHiddenTests());
    assertEquals(List.of("tests/test_other.py::test_sometimes"), t.getFlakyTests());
    assertEquals("swegen", t.getSource());
    assertEquals("", t.getHintsText());
    assertEquals("", t.getVersion());
  }

  @Test
  void onlyBetterValidationsWithAResolvingGoldPatchQualify() {
    assertTrue(TaskInstances.qualifies(better("a")));
    assertFalse(TaskInstances.qualifies(validation("a", ValidationStatus.NEW_COMMIT_BETTER, false)));
    for (final ValidationStatus s : ValidationStatus.values()) {
      if (s != ValidationStatus.NEW_COMMIT_BETTER) {
        assertFalse(TaskInstances.qualifies(validation("a", s, true)), s.name());
      }
    }
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TaskInstances.from(
        validation("a", ValidationStatus.NEW_COMMIT_WORSE, true), statement("a", "x")));
    assertTrue(e.getMessage().contains("NEW_COMMIT_WORSE"), e.getMessage());
  }

  @Test
  void namesTheDefectsThatPreventAssembly() {
    assertEquals(Optional.empty(), TaskInstances.defect("acme/widgets@a", better("a")));
    assertEquals(Optional.of("record key 'other@b' is not the task id 'acme/widgets@a'"),
        TaskInstances.defect("other@b", better("a")));
    final EnvValidation noCandidate = EnvValidation.newBuilder(better("a")).setCandidate(null).build();
    assertEquals(Optional.of("validation of acme/widgets@a is NEW_COMMIT_BETTER but carries no candidate"),
        TaskInstances.defect("acme/widgets@a", noCandidate));
    final EnvValidation noEnvironment = EnvValidation.newBuilder(better("a")).setEnvironment(null).build();
    assertTrue(TaskInstances.defect("acme/widgets@a", noEnvironment).orElseThrow().contains("no environment"));
    final EnvValidation failedWithoutCandidate = EnvValidation.newBuilder(
        validation("a", ValidationStatus.FAIL_AT_SETUP, false)).setCandidate(null).setEnvironment(null).build();
    assertEquals(Optional.empty(), TaskInstances.defect("acme/widgets@a", failedWithoutCandidate),
        "a validation that makes no task needs neither");
    assertEquals(Optional.of("record key 'x@y' is not the task id 'acme/widgets@a'"),
        TaskInstances.defect("x@y", statement("a", "s")));
  }

  @Test
  void shortNamesAndStatusJson() {
    assertEquals("widgets", TaskInstances.shortName("acme/widgets"));
    assertEquals("pandas", TaskInstances.shortName("github.com/pandas-dev/pandas.git"));
    assertEquals("solo", TaskInstances.shortName("solo"));
    assertEquals("{\"a\":\"FAILED\",\"b \\\"q\\\"\":\"PASSED\"}",
        TaskInstances.expectedOutputJson(Map.of("b \"q\"", "PASSED", "a", "FAILED")));
    assertEquals("{}", TaskInstances.expectedOutputJson(Map.of()));
  }
}
