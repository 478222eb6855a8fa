package io.r2estream.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The oracle's plan: one str_replace per hunk (context + deleted → context + added), create for new files. */
class OracleModelTest {

  private static final String PATCH = """
      diff --git a/pkg/a.py b/pkg/a.py
      index 1111111..2222222 100644
      --- a/pkg/a.py
      +++ b/pkg/a.py
      @@ -1,4 +1,4 @@ def f():
       def f():
      -    return 1
      +    return 2
      \s
      \s
      @@ -10,3 +10,4 @@ def g():
       def g():
           x = 1
      +    x += 1
           return x
      diff --git a/pkg/new.py b/pkg/new.py
      new file mode 100644
      index 0000000..3333333
      --- /dev/null
      +++ b/pkg/new.py
      @@ -0,0 +1,2 @@
      +def h():
      +    return 3
      """;

  @Test
  void everyHunkBecomesOneCallAndThenTheModelSubmits() {
    final List<Action> plan = OracleModel.plan(PATCH, "/testbed");
    assertEquals(3, plan.size(), plan.toString());
    assertEquals(new Action("file_editor", java.util.Map.of("command", "str_replace", "path", "/testbed/pkg/a.py",
        "old_str", "def f():\n    return 1\n\n", "new_str", "def f():\n    return 2\n\n")), plan.get(0));
    assertEquals("def g():\n    x = 1\n    return x", plan.get(1).parameter("old_str"));
    assertEquals("def g():\n    x = 1\n    x += 1\n    return x", plan.get(1).parameter("new_str"));
    assertEquals("create", plan.get(2).parameter("command"));
    assertEquals("def h():\n    return 3\n", plan.get(2).parameter("file_text"));
    assertEquals(List.of("command", "path", "old_str", "new_str"), List.copyOf(plan.get(0).parameters().keySet()),
        "parameters keep the order a model writes them in");

    final OracleModel oracle = new OracleModel(PATCH, "/testbed");
    for (int i = 0; i < 3; i++) {
      assertTrue(oracle.reply(List.of(), 0.0, 10).content().contains("<function=file_editor>"));
    }
    assertTrue(oracle.reply(List.of(), 0.0, 10).content().contains("<function=finish>"));
  }

  @Test
  void inFunctionCallingModeTheSamePlanComesAsToolCallsThatParseBackToTheSameActions() {
    final OracleModel oracle = new OracleModel(PATCH, "/testbed");
    final List<Action> plan = OracleModel.plan(PATCH, "/testbed");
    for (int i = 0; i < 3; i++) {
      final AgentModel.Reply r = oracle.reply(List.of(), 0.0, 10, ToolSchemas.definitions());
      assertEquals(1, r.toolCalls().size());
      assertEquals("call_" + i, r.toolCalls().get(0).id());
      final ParsedResponse parsed = ActionParser.parseToolCall(r.content(), r.toolCalls().get(0).name(),
          r.toolCalls().get(0).arguments());
      assertEquals(plan.get(i), ((ParsedResponse.Found) parsed).action());
    }
    assertEquals("finish", oracle.reply(List.of(), 0.0, 10, ToolSchemas.definitions()).toolCalls().get(0).name());
  }
}
