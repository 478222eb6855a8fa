package io.r2estream.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code file_editor} tool: {@code view}, {@code create}, {@code str_replace}, {@code insert} and
 * {@code undo_edit} on files of the task container, printing what R2E-Gym's editor prints (its trained models read
 * these texts), limits included: {@value #MAX_RESPONSE_CHARS} characters before {@link #CLIPPED}, snippets with
 * {@value #SNIPPET_LINES} lines of context, condensed view of Python files over {@value #CONCISE_ABOVE_LINES}
 * lines.
 *
 * <p>Errors print {@code ERROR: <sentence>}. Beyond R2E-Gym's own sentences ("The path 'p' does not exist.",
 * "No occurrences of 'x' found in p for replacement.", ...), argument problems it let crash print: "Missing
 * required parameter 'path' for 'file_editor'.", "Missing required parameter 'command' for 'file_editor'.",
 * "Missing required parameter 'insert_line' for 'insert'.", "Invalid insert_line 'x': expected an integer.",
 * "Invalid view_range 'x': expected two integers, e.g. [11, 12]." Errors that R2E-Gym reports as a result with an
 * error (a refused non-Python file, a bad view range, a failed listing) keep its form: an empty line, then
 * {@code ERROR: ...}. Differences: {@code create} makes missing parent directories, a directory listing is sorted
 * (byte order) rather than in {@code find}'s order, and undo stacks are keyed by the real path, so
 * {@code pkg/a.py} and {@code /testbed/pkg/a.py} share one.
 */
final class FileEditor {

  static final int MAX_RESPONSE_CHARS = 10_000;
  static final String CLIPPED = "<response clipped><NOTE>To save on context only part of this file has been shown "
      + "to you. You should retry this tool after you have searched inside the file with `grep -n` in order to find "
      + "the line numbers of what you are looking for.</NOTE>";
  static final int SNIPPET_LINES = 4;
  static final int CONCISE_ABOVE_LINES = 110;
  static final String WORKDIR = "/testbed";
  private static final Duration LIST_TIMEOUT = Duration.ofSeconds(60);

  private final ContainerFiles files;
  private final boolean pythonOnly;

  FileEditor(final ContainerFiles files, final boolean pythonOnly) {
    this.files = files;
    this.pythonOnly = pythonOnly;
  }

  /** The editor's printed output for one call (what follows "Execution output of [file_editor]:"). */
  String run(final Action action) {
    try {
      final String command = action.parameter("command");
      final String rawPath = action.parameter("path");
      if (rawPath == null) {
        throw new EditorError("Missing required parameter 'path' for 'file_editor'.");
      }
      if (command == null) {
        throw new EditorError("Missing required parameter 'command' for 'file_editor'.");
      }
      final String path = displayPath(rawPath);
      final ContainerFiles.PathInfo info = files.info(absolute(path));
      if (command.equals("create")) {
        if (info.kind() != ContainerFiles.Kind.MISSING) {
          throw new EditorError("File already exists at: " + path + ". Cannot overwrite with 'create'.");
        }
      } else if (info.kind() == ContainerFiles.Kind.MISSING) {
        throw new EditorError("The path '" + path + "' does not exist.");
      }
      if (info.kind() == ContainerFiles.Kind.DIRECTORY && !command.equals("view")) {
        throw new EditorError("The path '" + path + "' is a directory. Only 'view' can be used on directories.");
      }
      return switch (command) {
        case "view" -> view(path, info, action.parameter("view_range"), isTrue(action.parameter("concise")));
        case "create" -> create(path, info, action.parameter("file_text"));
        case "str_replace" -> strReplace(path, info, action.parameter("old_str"), action.parameter("new_str"));
        case "insert" -> insert(path, info, action.parameter("insert_line"), action.parameter("new_str"));
        case "undo_edit" -> undo(path, info);
        default -> throw new EditorError("Unrecognized command '" + command + "'. "
            + "Allowed commands: view, create, str_replace, insert, undo_edit.");
      };
    } catch (final EditorError e) {
      return "ERROR: " + e.getMessage() + "\n";
    }
  }

  /** True when the output is an error print (for {@link ToolResult#failed()}). */
  static boolean isError(final String output) {
    return output.startsWith("ERROR: ") || output.startsWith("\nERROR: ");
  }

  private String view(final String path, final ContainerFiles.PathInfo info, final String rawRange,
      final boolean conciseAsked) {
    if (info.kind() == ContainerFiles.Kind.DIRECTORY) {
      return listDirectory(path);
    }
    final boolean python = path.endsWith(".py") && !fileName(path).equals(".py");
    if (!python && pythonOnly) {
      return resultError("ERROR: Viewing non-Python files is disallowed for saving context. File '"
          + fileName(path) + "' is not a .py file.");
    }
    final int[] range = rawRange == null ? null : parseRange(rawRange);
    final String text = read(path, info);
    final boolean concise = conciseAsked
        || python && range == null && PyText.splitlines(text).size() > CONCISE_ABOVE_LINES;
    final List<NumberedLine> lines = python && concise ? elided(path, info, text) : numbered(text);
    List<NumberedLine> shown = lines;
    if (range != null) {
      final int total = lines.size();
      final String asList = "[" + range[0] + ", " + range[1] + "]";
      if (range[0] < 1 || range[0] > total) {
        return resultError("Invalid view_range " + asList + ": start line must be in [1, " + total + "]");
      }
      if (range[1] != -1 && (range[1] < range[0] || range[1] > total)) {
        return resultError("Invalid view_range " + asList + ": end must be >= start and <= " + total
            + ", or -1 to view until end.");
      }
      shown = lines.stream().filter(l -> l.index() + 1 >= range[0] && (range[1] == -1 || l.index() + 1 <= range[1]))
          .toList();
    }
    final StringBuilder out = new StringBuilder(concise
        ? "Here is a condensed view for file: " + path + "; [Note: Useful for understanding file structure in a "
        + "concise manner. Please use specific view_range without concise cmd if you want to explore further into "
        + "the relevant parts.]\n"
        : "Here's the result of running `cat -n` on the file: " + path + ":\n");
    for (int i = 0; i < shown.size(); i++) {
      out.append(i == 0 ? "" : "\n").append(String.format("%6d %s", shown.get(i).index() + 1, shown.get(i).text()));
    }
    return maybeTruncate(out.toString()) + "\n";
  }

  private String listDirectory(final String path) {
    final var listing = files.run("find -L \"$R2E_PATH\" -maxdepth 2 -not -path '*/.*'"
        + (pythonOnly ? " \\( -type d -o -name '*.py' \\)" : ""), Map.of("R2E_PATH", path), LIST_TIMEOUT);
    if (!listing.stderr().strip().isEmpty() || listing.timedOut()) {
      return resultError(listing.timedOut() ? "listing " + path + " took longer than " + LIST_TIMEOUT
          : listing.stderr().strip());
    }
    final List<String> entries = new ArrayList<>(listing.stdout().lines().toList());
    entries.sort(Comparator.naturalOrder());
    final StringBuilder out = new StringBuilder("Here's the files and directories up to 2 levels deep in " + path
        + ", excluding hidden:\n");
    entries.forEach(e -> out.append(e).append('\n'));
    return maybeTruncate(out.toString()) + "\n";
  }

  private String create(final String path, final ContainerFiles.PathInfo info, final String fileText) {
    if (fileText == null) {
      throw new EditorError("Cannot create file without 'file_text' parameter.");
    }
    files.writeText(info.realPath(), fileText);
    final List<String> history = files.history(info.realPath());
    history.add("");
    files.saveHistory(info.realPath(), history);
    return "File created at " + path + ". " + catN(fileText, path, 1)
        + "Review the file and make sure that it is as expected. Edit the file if necessary.\n";
  }

  private String strReplace(final String path, final ContainerFiles.PathInfo info, final String oldStr,
      final String newStr) {
    if (oldStr == null) {
      throw new EditorError("Missing required parameter 'old_str' for 'str_replace'.");
    }
    final String content = read(path, info);
    final int occurrences = PyText.count(content, oldStr);
    if (occurrences == 0) {
      throw new EditorError("No occurrences of '" + oldStr + "' found in " + path + " for replacement.");
    }
    if (occurrences > 1) {
      throw new EditorError("Multiple occurrences of '" + oldStr + "' found in " + path + ". "
          + "Please ensure it is unique before using str_replace.");
    }
    final String replacement = newStr == null ? "" : newStr;
    final int at = content.indexOf(oldStr);
    final String updated = content.substring(0, at) + replacement + content.substring(at + oldStr.length());
    edit(info, content, updated);
    final int line = PyText.count(content.substring(0, at), "\n");
    final int start = Math.max(0, line - SNIPPET_LINES);
    final int end = line + SNIPPET_LINES + PyText.count(replacement, "\n");
    final List<String> all = PyText.splitNewlines(updated);
    final String snippet = String.join("\n", all.subList(Math.min(start, all.size()), Math.min(end + 1, all.size())));
    return "The file " + path + " has been edited. " + catN(snippet, "a snippet of " + path, start + 1)
        + "Review the changes and make sure they are as expected. Edit the file again if necessary.\n";
  }

  private String insert(final String path, final ContainerFiles.PathInfo info, final String rawLine,
      final String newStr) {
    if (newStr == null) {
      throw new EditorError("Missing required parameter 'new_str' for 'insert'.");
    }
    if (rawLine == null) {
      throw new EditorError("Missing required parameter 'insert_line' for 'insert'.");
    }
    final int line;
    try {
      line = Integer.parseInt(rawLine.strip());
    } catch (final NumberFormatException e) {
      throw new EditorError("Invalid insert_line '" + rawLine + "': expected an integer.");
    }
    final String old = read(path, info);
    final List<String> lines = PyText.splitNewlines(old);
    if (line < 0 || line > lines.size()) {
      throw new EditorError("Invalid insert_line " + line + ". Must be in [0, " + lines.size() + "].");
    }
    final List<String> inserted = PyText.splitNewlines(newStr);
    final List<String> updated = new ArrayList<>(lines.subList(0, line));
    updated.addAll(inserted);
    updated.addAll(lines.subList(line, lines.size()));
    edit(info, old, String.join("\n", updated));
    final List<String> snippet = new ArrayList<>(lines.subList(Math.max(0, line - SNIPPET_LINES), line));
    snippet.addAll(inserted);
    snippet.addAll(lines.subList(line, Math.min(lines.size(), line + SNIPPET_LINES)));
    return "The file " + path + " has been edited. "
        + catN(String.join("\n", snippet), "a snippet of the edited file", Math.max(1, line - SNIPPET_LINES + 1))
        + "Review the changes and make sure they are as expected (correct indentation, no duplicate lines, etc). "
        + "Edit the file again if necessary.\n";
  }

  private String undo(final String path, final ContainerFiles.PathInfo info) {
    final List<String> history = files.history(info.realPath());
    if (history.isEmpty()) {
      throw new EditorError("No previous edits found for " + path + " to undo.");
    }
    final String previous = history.remove(history.size() - 1);
    files.writeText(info.realPath(), previous);
    files.saveHistory(info.realPath(), history);
    return "Last edit to " + path + " undone successfully. " + catN(previous, path, 1) + "\n";
  }

  private void edit(final ContainerFiles.PathInfo info, final String before, final String after) {
    final List<String> history = files.history(info.realPath());
    history.add(before);
    files.writeText(info.realPath(), after);
    files.saveHistory(info.realPath(), history);
  }

  private String read(final String path, final ContainerFiles.PathInfo info) {
    try {
      return files.readText(info.realPath());
    } catch (final RuntimeException e) {
      throw new EditorError("Failed to read file " + path + ": " + e.getMessage());
    }
  }

  /** {@code cat -n} of a text: numbers from {@code first}, a tab, tabs expanded, clipped at the response limit. */
  static String catN(final String content, final String descriptor, final int first) {
    final List<String> lines = PyText.splitNewlines(PyText.expandtabs(maybeTruncate(content)));
    final StringBuilder out = new StringBuilder("Here's the result of running `cat -n` on " + descriptor + ":\n");
    for (int i = 0; i < lines.size(); i++) {
      out.append(i == 0 ? "" : "\n").append(String.format("%6d\t%s", i + first, lines.get(i)));
    }
    return out.append('\n').toString();
  }

  static String maybeTruncate(final String content) {
    return content.length() <= MAX_RESPONSE_CHARS ? content : content.substring(0, MAX_RESPONSE_CHARS) + CLIPPED;
  }

  /** A line to print: its 0-based index in the file and its text (or an elision notice). */
  record NumberedLine(int index, String text) {
  }

  static List<NumberedLine> numbered(final String text) {
    final List<String> lines = PyText.splitlines(text);
    final List<NumberedLine> out = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      out.add(new NumberedLine(i, lines.get(i)));
    }
    return out;
  }

  /**
   * The condensed view: each elided range (0-based, inclusive) replaced by one notice at its first line; notices
   * come before kept lines of the same index, in the order the ranges were found (nested ranges keep their own
   * notice, as in R2E-Gym).
   */
  static List<NumberedLine> condense(final String text, final List<int[]> ranges) {
    final Set<Integer> elided = new HashSet<>();
    final List<NumberedLine> combined = new ArrayList<>();
    for (final int[] r : ranges) {
      for (int i = r[0]; i <= r[1]; i++) {
        elided.add(i);
      }
      combined.add(new NumberedLine(r[0], "... eliding lines " + (r[0] + 1) + "-" + (r[1] + 1) + " ..."));
    }
    for (final NumberedLine l : numbered(text)) {
      if (!elided.contains(l.index())) {
        combined.add(l);
      }
    }
    combined.sort(Comparator.comparingInt(NumberedLine::index));
    return combined;
  }

  @SuppressWarnings("unchecked")
  private List<NumberedLine> elided(final String path, final ContainerFiles.PathInfo info, final String text) {
    final Map<String, Object> answer = files.helper("spans", Map.of("R2E_PATH", info.realPath()));
    if (answer.containsKey("error")) {
      throw new EditorError("Syntax error for file " + path + ": " + answer.get("error"));
    }
    final List<int[]> ranges = new ArrayList<>();
    for (final List<Integer> r : (List<List<Integer>>) answer.get("ranges")) {
      ranges.add(new int[] {r.get(0), r.get(1)});
    }
    return condense(text, ranges);
  }

  private static int[] parseRange(final String raw) {
    final String inner = raw.strip().replaceAll("^[\\[\\]()]+|[\\[\\]()]+$", "");
    final String[] parts = inner.replace(",", " ").strip().split("\\s+");
    try {
      if (parts.length == 2) {
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
      }
    } catch (final NumberFormatException e) {
      // falls through to the error below
    }
    throw new EditorError("Invalid view_range '" + raw + "': expected two integers, e.g. [11, 12].");
  }

  /** An error R2E-Gym's editor returns as a result rather than raises: printed after an empty output line. */
  private static String resultError(final String message) {
    return "\nERROR: " + message + "\n";
  }

  private static boolean isTrue(final String flag) {
    return flag != null && flag.strip().equalsIgnoreCase("true");
  }

  /** The path as Python's {@code str(Path(p))} prints it: no empty or "." segments, no trailing slash. */
  static String displayPath(final String raw) {
    final boolean absolute = raw.startsWith("/");
    final List<String> segments = new ArrayList<>();
    for (final String s : raw.split("/")) {
      if (!s.isEmpty() && !s.equals(".")) {
        segments.add(s);
      }
    }
    final String joined = String.join("/", segments);
    return absolute ? "/" + joined : joined.isEmpty() ? "." : joined;
  }

  static String absolute(final String path) {
    return path.startsWith("/") ? path : path.equals(".") ? WORKDIR : WORKDIR + "/" + path;
  }

  private static String fileName(final String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
