package io.r2estream.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.r2estream.agent.Action;
import io.r2estream.agent.OracleModel;
import io.r2estream.avro.TaskInstance;
import io.r2estream.testkit.llm.RecordedRequest;
import io.r2estream.testkit.llm.ScriptedReply;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One scripted LLM for every role the platform asks, told apart by the request as a real endpoint would see it:
 * the back-translator (one user message with the issue-writing prompt), the editing agent and the testing agent (by
 * their system prompts) and the judge (its system prompt; its verdict depends on the final patch it is shown).
 *
 * <p>Written for the sample's task "tokenizer: treat accented letters as word characters" (the word pattern is
 * ASCII-only). The editing agent's candidates differ by the model a rollout request names: {@link #FIX} replays the
 * gold patch, {@link #PARTIAL} admits only "é" (one reproduction case resolved, the hidden test still fails),
 * {@link #APOSTROPHE} and {@link #DOCSTRING} make harmless but wrong edits. Each conversation is answered by its
 * number of assistant turns: the edit(s) first, then finish.
 */
final class ScriptedRoles {

  static final String FIX = "scripted-fix";
  static final String PARTIAL = "scripted-partial";
  static final String APOSTROPHE = "scripted-apostrophe";
  static final String DOCSTRING = "scripted-docstring";
  /** The platform's own model name: back-translation, testing agent and judge ask for it. */
  static final String PLATFORM_MODEL = "scripted";
  /** The judge's P(YES) per kind of candidate: the fix is the most convincing. */
  static final Map<String, Double> P_YES = Map.of(FIX, 0.9, PARTIAL, 0.6, APOSTROPHE, 0.3, DOCSTRING, 0.2);
  /** Cases of the generated test_issue.py: at the base commit all four say "Issue reproduced". */
  static final int TEST_CASES = 4;

  static final String FILE = "/testbed/textkit/tokenizer.py";
  private static final String ASCII_PATTERN = "tokens = re.findall(r\"[A-Za-z0-9_]+\", text)";
  private static final String FINISH = "Done.\n<function=finish>\n<parameter=command>submit</parameter>\n</function>";

  /** The reproduction test: graded cases, so a partial fix resolves one and the real fix all four. */
  static final String TEST_ISSUE = String.join("\n",
      "from textkit import Tokenizer, word_count",
      "",
      "CASES = [",
      "    (lambda: word_count(\"na\u00efve caf\u00e9 au lait\"), 4),",
      "    (lambda: Tokenizer().tokenize(\"caf\u00e9\"), [\"caf\u00e9\"]),",
      "    (lambda: word_count(\"\u00fcber stra\u00dfe\"), 2),",
      "    (lambda: Tokenizer().tokenize(\"na\u00efve\"), [\"na\u00efve\"]),",
      "]",
      "",
      "for case, expected in CASES:",
      "    try:",
      "        print(\"Issue resolved\" if case() == expected else \"Issue reproduced\")",
      "    except Exception:",
      "        print(\"Other issues\")",
      "");

  private final AtomicReference<List<Action>> goldPlan = new AtomicReference<>();

  /** Sets the task whose gold patch the {@link #FIX} model replays; requests for it before this fail loudly. */
  void task(final TaskInstance task) {
    goldPlan.set(OracleModel.plan(task.getPatch(), task.getEnvironment().getWorkdir()));
  }

  ScriptedReply answer(final RecordedRequest request) {
    final JsonNode messages = request.json().path("messages");
    final String first = messages.path(0).path("content").asText();
    final int turn = assistantTurns(messages);
    if (first.startsWith("You are a programming agent")) {
      return editing(request.json().path("model").asText(), turn);
    }
    if (first.startsWith("You are a testing agent")) {
      return turn == 0 ? ScriptedReply.completion("A script that checks accented words.\n" + create(
          "/testbed/test_issue.py", TEST_ISSUE)) : ScriptedReply.completion(FINISH);
    }
    if (first.startsWith("You are an expert reviewer")) {
      return judge(request.lastMessageContent());
    }
    if (first.contains("files clear, realistic GitHub issues")) {
      return ScriptedReply.completion("[ISSUE]\nword_count() miscounts words with accented letters: "
          + "word_count(\"na\u00efve caf\u00e9 au lait\") returns 5 instead of 4, as if the accented letters split "
          + "the words.\n[/ISSUE]");
    }
    return ScriptedReply.error(400, "scripted roles: no role recognised in request #" + request.index());
  }

  /** An unscripted request gets a 400 naming it (the agent then fails visibly), not a dropped connection. */
  private ScriptedReply editing(final String model, final int turn) {
    final List<Action> plan = goldPlan.get();
    if (FIX.equals(model) && plan == null) {
      return ScriptedReply.error(400, "scripted roles: the fix model was asked before the test named the task");
    }
    final List<String> edits = switch (model) {
      case FIX -> plan.stream().map(Action::toXml).toList();
      case PARTIAL -> List.of(replace(ASCII_PATTERN, "tokens = re.findall(r\"[A-Za-z0-9_\u00e9]+\", text)"));
      case APOSTROPHE -> List.of(replace(ASCII_PATTERN, "tokens = re.findall(r\"[A-Za-z0-9_']+\", text)"));
      case DOCSTRING -> List.of(replace("\"\"\"Return the word tokens of ``text`` in order.\"\"\"",
          "\"\"\"Return the word tokens of ``text``, left to right.\"\"\""));
      default -> List.of();
    };
    if (edits.isEmpty()) {
      return ScriptedReply.error(400, "scripted roles: no script for editing model '" + model + "'");
    }
    return ScriptedReply.completion(turn < edits.size() ? "Edit the tokenizer.\n" + edits.get(turn) : FINISH);
  }

  /** YES with the candidate's P(YES) in the top logprobs of the token after {@code <judgement>}. */
  private static ScriptedReply judge(final String user) {
    final int from = user.lastIndexOf("[PATCH]");
    final int to = user.lastIndexOf("[/PATCH]");
    final String patch = from < 0 || to < from ? "" : user.substring(from, to);
    final double p = P_YES.get(kindOf(patch));
    final String verdict = p >= 0.5 ? "YES" : "NO";
    return ScriptedReply.completion("<judgement>" + verdict + "</judgement>")
        .tokenLogprob("<judgement>", -0.001, Map.of("<judgement>", -0.001))
        .tokenLogprob(verdict, Math.log(Math.max(p, 1 - p)), Map.of("YES", Math.log(p), "NO", Math.log(1 - p)))
        .tokenLogprob("</judgement>", -0.001, Map.of());
  }

  /** Which editing model made a final patch, by its added line. */
  static String kindOf(final String patch) {
    if (patch.contains("+        tokens = re.findall(r\"\\w+\", text)")) {
      return FIX;
    }
    if (patch.contains("_\u00e9]+")) {
      return PARTIAL;
    }
    if (patch.contains("_']+")) {
      return APOSTROPHE;
    }
    return DOCSTRING;
  }

  private static int assistantTurns(final JsonNode messages) {
    int n = 0;
    for (final JsonNode m : messages) {
      if ("assistant".equals(m.path("role").asText())) {
        n++;
      }
    }
    return n;
  }

  private static String replace(final String oldStr, final String newStr) {
    return "<function=file_editor>\n<parameter=command>str_replace</parameter>\n<parameter=path>" + FILE
        + "</parameter>\n<parameter=old_str>" + oldStr + "</parameter>\n<parameter=new_str>" + newStr
        + "</parameter>\n</function>";
  }

  private static String create(final String path, final String text) {
    return "<function=file_editor>\n<parameter=command>create</parameter>\n<parameter=path>" + path
        + "</parameter>\n<parameter=file_text>" + text + "</parameter>\n</function>";
  }
}
