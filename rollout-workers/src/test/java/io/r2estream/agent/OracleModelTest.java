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
    final List<String> plan = OracleModel.plan(PATCH, "/testbed");
    assertEquals(3, plan.size(), plan.toString());
    assertEquals("<function=file_editor>\n<parameter=command>str_replace</parameter>\n<parameter=path>/testbed/pkg/a.py"
        + "</parameter>\n<parameter=old_str>def f():\n    return 1\n\n</parameter>\n<parameter=new_str>def f():\n"
        + "    return 2\n\n</parameter>\n</function>", plan.get(0));
    assertTrue(plan.get(1).contains("<parameter=old_str>def g():\n    x = 1\n    return x</parameter>"), plan.get(1));
    assertTrue(plan.get(1).contains("<parameter=new_str>def g():\n    x = 1\n    x += 1\n    return x</parameter>"));
    assertTrue(plan.get(2).contains("<parameter=command>create</parameter>"), plan.get(2));
    assertTrue(plan.get(2).contains("<parameter=file_text>def h():\n    return 3\n</parameter>"), plan.get(2));

    final OracleModel oracle = new OracleModel(PATCH, "/testbed");
    for (int i = 0; i < 3; i++) {
      assertTrue(oracle.reply(List.of(), 0.0, 10).content().contains("<function=file_editor>"));
    }
    assertTrue(oracle.reply(List.of(), 0.0, 10).content().contains("<function=finish>"));
  }
}
