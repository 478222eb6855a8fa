package io.r2estream.backtranslation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes the issue out of a back-translation completion: the text of the LAST {@code [ISSUE]...[/ISSUE]} block, so
 * that tags quoted earlier (in the model's analysis, or echoing the prompt's examples) do not win. A last block whose
 * closing tag is missing runs to the end of the completion (the model ran out of tokens or forgot the tag). Empty
 * blocks are skipped. Tags match case-insensitively.
 */
public final class IssueExtractor {

  private static final Pattern OPEN = Pattern.compile("\\[ISSUE]", Pattern.CASE_INSENSITIVE);
  private static final Pattern CLOSE = Pattern.compile("\\[/ISSUE]", Pattern.CASE_INSENSITIVE);

  private IssueExtractor() {
  }

  /** The issue text, stripped; empty when the completion holds no non-empty block. */
  public static Optional<String> extract(final String completion) {
    if (completion == null) {
      return Optional.empty();
    }
    final List<Integer> opens = new ArrayList<>();
    final Matcher o = OPEN.matcher(completion);
    while (o.find()) {
      opens.add(o.end());
    }
    final Matcher close = CLOSE.matcher(completion);
    for (int i = opens.size() - 1; i >= 0; i--) {
      final int from = opens.get(i);
      final int to = close.find(from) ? close.start() : completion.length();
      final String body = completion.substring(from, to).strip();
      if (!body.isEmpty()) {
        return Optional.of(body);
      }
    }
    return Optional.empty();
  }
}
