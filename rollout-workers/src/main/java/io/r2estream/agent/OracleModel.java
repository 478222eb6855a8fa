package io.r2estream.agent;

import io.r2estream.llm.ChatMessage;
import io.r2estream.llm.TokenUsage;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies the gold patch through the agent's own tools, hunk by hunk ({@code file_editor str_replace}, or
 * {@code create} for a new file), then submits: a task it cannot resolve has an environment or tool problem, not
 * an agent problem. Each reply is the next planned call; the plan comes from the patch alone.
 */
public final class OracleModel implements AgentModel {

  public static final String NAME = "oracle";
  private final List<String> calls;
  private int next;

  public OracleModel(final String goldPatch, final String workdir) {
    this.calls = plan(goldPatch, workdir);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public synchronized Reply reply(final List<ChatMessage> messages, final Double temperature, final int maxTokens) {
    final String call = next < calls.size() ? calls.get(next++)
        : "<function=finish>\n<parameter=command>submit</parameter>\n</function>";
    return new Reply("Applying the known fix.\n\n" + call, TokenUsage.UNKNOWN);
  }

  /** The file_editor calls that replay a unified diff: one str_replace per hunk, one create per new file. */
  static List<String> plan(final String patch, final String workdir) {
    final List<String> out = new ArrayList<>();
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

  private static void flush(final List<String> out, final String path, final boolean created,
      final StringBuilder oldText, final StringBuilder newText) {
    if (path == null || oldText == null) {
      return;
    }
    final String o = trimLastNewline(oldText);
    final String n = trimLastNewline(newText);
    if (created) {
      out.add("<function=file_editor>\n<parameter=command>create</parameter>\n<parameter=path>" + path
          + "</parameter>\n<parameter=file_text>" + newText + "</parameter>\n</function>");
    } else {
      out.add("<function=file_editor>\n<parameter=command>str_replace</parameter>\n<parameter=path>" + path
          + "</parameter>\n<parameter=old_str>" + o + "</parameter>\n<parameter=new_str>" + n
          + "</parameter>\n</function>");
    }
  }

  private static String trimLastNewline(final StringBuilder sb) {
    final String s = sb.toString();
    return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
  }
}
