package io.r2estream.backtranslation;

import io.r2estream.avro.EnvCandidate;
import io.r2estream.avro.EnvValidation;
import io.r2estream.avro.TestRun;
import io.r2estream.llm.ChatMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Builds the back-translation prompt of a validated environment, in R2E-Gym's order and limits (reference section
 * 2.8): role, commit hash and message, the non-test patch then the test patch, the parent's and the commit's test
 * output (last {@value #OUTPUT_TAIL} characters each, marked {@code [TRUNCATED]} when cut), the FAIL_TO_PASS list,
 * the source of up to {@value #MAX_TESTS} of those tests (from the test patch, see {@link PatchFunctions}), their
 * failure blocks at the parent (cut as {@link PytestFailures} says), example issues, the writing rules and the
 * requested {@code [ISSUE]} output. The wording is ours and lives in {@code backtranslation/prompt.txt}.
 *
 * <p>The example issues are shuffled as R2E-Gym does, but with a seed taken from the task id, so that a redone
 * task gets the same prompt (reproducible statements, server-side prompt caches keep working).
 */
public final class BackTranslationPrompt {

  /** Characters kept from the end of each test output. */
  public static final int OUTPUT_TAIL = 1000;
  /** Tests whose source and failure block are shown at most. */
  public static final int MAX_TESTS = 3;
  public static final String TRUNCATED = "[TRUNCATED]";

  private static final PromptTemplate TEMPLATE = PromptTemplate.resource("backtranslation/prompt.txt");
  private static final List<String> EXAMPLES = List.of(Pattern.compile("(?m)^-----\\s*$")
      .split(PromptTemplate.readResource("backtranslation/example-issues.txt"))).stream()
      .map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableList());

  private BackTranslationPrompt() {
  }

  /** The prompt as the single user message R2E-Gym sends (reasoning models take no system message). */
  public static List<ChatMessage> messages(final EnvValidation validation) {
    return List.of(ChatMessage.user(build(validation)));
  }

  public static String build(final EnvValidation v) {
    final EnvCandidate c = v.getCandidate();
    final List<String> f2p = v.getFailToPass();
    final List<TestId> shown = firstDistinct(f2p);
    final PatchFunctions tests = PatchFunctions.of(c == null ? "" : c.getTestPatch());
    final String oldLog = firstLog(v.getOldRuns());
    return TEMPLATE.render(Map.of(
        "commit_hash", v.getCommitSha(),
        "commit_message", c == null || c.getCommitMessage().isBlank() ? "(no message)" : c.getCommitMessage().strip(),
        "code_patch", c == null ? "" : c.getCodePatch().stripTrailing(),
        "test_patch", c == null ? "" : c.getTestPatch().stripTrailing(),
        "old_output", tail(oldLog),
        "new_output", tail(firstLog(v.getNewRuns())),
        "fail_to_pass", f2p.isEmpty() ? "(none listed)"
            : f2p.stream().map(t -> "- " + t).collect(Collectors.joining("\n")),
        "test_sources", sources(shown, tests),
        "failure_blocks", failures(shown, oldLog),
        "example_issues", examples(v.getTaskId())));
  }

  /** The last {@value #OUTPUT_TAIL} characters, prefixed with {@value #TRUNCATED} when something was cut. */
  static String tail(final String output) {
    if (output.isEmpty()) {
      return "(no output recorded)";
    }
    return output.length() <= OUTPUT_TAIL ? output
        : TRUNCATED + "\n" + output.substring(output.length() - OUTPUT_TAIL);
  }

  private static String firstLog(final List<TestRun> runs) {
    return runs.stream().map(TestRun::getLogTail).filter(s -> !s.isBlank()).findFirst().orElse("");
  }

  private static List<TestId> firstDistinct(final List<String> f2p) {
    final Set<TestId> distinct = new LinkedHashSet<>();
    f2p.forEach(id -> distinct.add(TestId.parse(id)));
    return List.copyOf(distinct);
  }

  private static String sources(final List<TestId> tests, final PatchFunctions patch) {
    final List<String> blocks = new ArrayList<>();
    for (final TestId t : tests) {
      if (blocks.size() == MAX_TESTS) {
        break;
      }
      final Optional<String> src = patch.source(t);
      src.ifPresent(s -> blocks.add("```python\n" + s + "\n```"));
    }
    return blocks.isEmpty() ? "(not available: the tests' definitions are not part of the test patch)"
        : String.join("\n\n", blocks);
  }

  private static String failures(final List<TestId> tests, final String oldLog) {
    final List<String> blocks = new ArrayList<>();
    for (final TestId t : tests) {
      if (blocks.size() == MAX_TESTS) {
        break;
      }
      PytestFailures.block(oldLog, t).ifPresent(b -> blocks.add("```\n" + b + "\n```"));
    }
    return blocks.isEmpty() ? "(no failure details in the recorded output)" : String.join("\n\n", blocks);
  }

  static String examples(final String taskId) {
    final List<String> shuffled = new ArrayList<>(EXAMPLES);
    Collections.shuffle(shuffled, new Random(taskId.hashCode()));
    return shuffled.stream().map(e -> "[ISSUE]\n" + e + "\n[/ISSUE]").collect(Collectors.joining("\n\n"));
  }

  /** The example issues shipped with the prompt, in file order. */
  static List<String> exampleIssues() {
    return EXAMPLES;
  }
}
