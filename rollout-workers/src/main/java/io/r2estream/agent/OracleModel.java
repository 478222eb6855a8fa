package io.r2estream.agent;

import io.r2estream.llm.ChatMessage;
import io.r2estream.llm.ToolDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies the gold patch through the agent's own tools, hunk by hunk ({@code file_editor str_replace}, or
 * {@code create} for a new file), then submits: a task it cannot resolve has an environment or tool problem, not
 * an agent problem. Each reply is the next planned call, in the mode the agent runs in; the plan comes from the
 * patch alone.
 */
public final class OracleModel implements AgentModel {

  public static final String NAME = "oracle";
  private final List<Action> calls;
  private int next;

  public OracleModel(final String goldPatch, final String workdir) {
    this.calls = plan(goldPatch, workdir);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public synchronized Reply reply(final List<ChatMessage> messages, final Double temperature, final int maxTokens,
      final List<ToolDefinition> tools) {
    final int index = next++;
    return index < calls.size() ? ActionReplies.of("Applying the known fix.", calls.get(index), tools, index)
        : ActionReplies.of("The fix is in place.", ActionReplies.submit(), tools, index);
  }

  /** The file_editor calls that replay a unified diff: one str_replace per hunk, one create per new file. */
  public static List<Action> plan(final String patch, final String workdir) {
    final List<Action> out = new ArrayList<>();
    String path = null;
    boolean created = false;
    StringBuilder oldText = null;
    StringBuilder newText = null;
    for (final String line : (patch + "\n").split("\n", -1)) {
      if (line.startsWith("diff --git ")) {
        flush(out, path, created, oldText, newText);
        oldText = null;
        newText = null;
        path = null;
        created = false;
      } else if (line.startsWith("--- ")) {
        created = line.equals("--- /dev/null");
      } else if (line.startsWith("+++ ")) {
        path = line.startsWith("+++ b/") ? workdir + "/" + line.substring(6) : null;
      } else if (line.startsWith("@@")) {
        flush(out, path, created, oldText, newText);
        oldText = new StringBuilder();
        newText = new StringBuilder();
      } else if (oldText != null && !line.startsWith("\\")) {
        if (line.startsWith("-")) {
          oldText.append(line.substring(1)).append('\n');
        } else if (line.startsWith("+")) {
          newText.append(line.substring(1)).append('\n');
        } else if (line.startsWith(" ")) {
          oldText.append(line.substring(1)).append('\n');
          newText.append(line.substring(1)).append('\n');
        }
      }
    }
    flush(out, path, created, oldText, newText);
    return out;
  }

  private static void flush(final List<Action> out, final String path, final boolean created,
      final StringBuilder oldText, final StringBuilder newText) {
    if (path == null || oldText == null) {
      return;
    }
    final String o = trimLastNewline(oldText);
    final String n = trimLastNewline(newText);
    final Map<String, String> p = new LinkedHashMap<>();
    if (created) {
      p.put("command", "create");
      p.put("path", path);
      p.put("file_text", newText.toString());
    } else {
      p.put("command", "str_replace");
      p.put("path", path);
      p.put("old_str", o);
      p.put("new_str", n);
    }
    out.add(new Action("file_editor", p));
  }

  private static String trimLastNewline(final StringBuilder sb) {
    final String s = sb.toString();
    return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
  }
}
