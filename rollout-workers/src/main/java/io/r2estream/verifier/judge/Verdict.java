package io.r2estream.verifier.judge;

import io.r2estream.llm.ChatResponse;
import io.r2estream.llm.TokenLogprob;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The judge's P(YES), read from its answer (reference 5.2).
 *
 * <p>From log-probabilities ({@value #SOURCE_LOGPROBS}): the generated token at the position right after the text
 * {@value #TAG} (found in the concatenated tokens, since tokenizers split the tag differently; R2E-Gym's fixed
 * "index 4" holds for Qwen only); among that position's top alternatives, the mass of the spellings of YES and of NO
 * (leading spaces and case tolerated; several spellings add up); a missing one gets a log-probability of
 * {@value #MISSING_LOGPROB}; {@code p_yes = e^yes / (e^yes + e^no)}. A token that starts inside the tag (say
 * {@code ">YES"}) is read with the same tag remainder on its alternatives.
 *
 * <p>Fallback ({@value #SOURCE_VERDICT_TEXT}), when the endpoint sent no log-probabilities (some Ollama versions,
 * some proxies) or they name neither YES nor NO at that position: the first {@code <judgement>YES|NO} of the text
 * gives 1.0 or 0.0. When neither is readable there is no verdict: {@link #pYes()} is null and {@link #detail()}
 * says why.
 *
 * @param pYes       P(YES), or null when the answer gives no verdict
 * @param logprobYes log-probability of YES at the verdict position (logprobs source only)
 * @param logprobNo  log-probability of NO at the verdict position (logprobs source only)
 * @param source     {@value #SOURCE_LOGPROBS}, {@value #SOURCE_VERDICT_TEXT}, or "" without a verdict
 * @param detail     where the verdict was read, or why the fallback or the failure
 */
public record Verdict(Double pYes, Double logprobYes, Double logprobNo, String source, String detail) {

  public static final String TAG = "<judgement>";
  public static final String SOURCE_LOGPROBS = "logprobs";
  public static final String SOURCE_VERDICT_TEXT = "verdict-text";
  /** The log-probability of a verdict absent from the top alternatives (R2E-Gym's). */
  public static final double MISSING_LOGPROB = -10_000;

  private static final Pattern WRITTEN = Pattern.compile("<judgement>\\s*(YES|NO)(?![A-Z])",
      Pattern.CASE_INSENSITIVE);
  private static final int SNIPPET = 200;

  /** Whether the answer gave a verdict. */
  public boolean readable() {
    return pYes != null;
  }

  /** Reads the verdict of a judge's completion. */
  public static Verdict of(final ChatResponse response) {
    final String whyNotLogprobs;
    if (response.logprobs().isEmpty()) {
      whyNotLogprobs = "the endpoint returned no logprobs";
    } else {
      final FromLogprobs l = fromLogprobs(response.logprobs());
      if (l.verdict() != null) {
        return l.verdict();
      }
      whyNotLogprobs = l.why();
    }
    final Matcher m = WRITTEN.matcher(response.content());
    if (m.find()) {
      final boolean yes = m.group(1).equalsIgnoreCase("YES");
      return new Verdict(yes ? 1.0 : 0.0, null, null, SOURCE_VERDICT_TEXT, whyNotLogprobs
          + "; verdict read from the text: " + m.group(1).toUpperCase(Locale.ROOT));
    }
    return new Verdict(null, null, null, "", whyNotLogprobs + "; the text has no " + TAG + "YES or " + TAG
        + "NO either: '" + snippet(response.content()) + "'");
  }

  /** A verdict from log-probabilities, or why there is none. */
  record FromLogprobs(Verdict verdict, String why) {
  }

  static FromLogprobs fromLogprobs(final List<TokenLogprob> tokens) {
    final StringBuilder text = new StringBuilder();
    final int[] starts = new int[tokens.size()];
    for (int i = 0; i < tokens.size(); i++) {
      starts[i] = text.length();
      text.append(tokens.get(i).token());
    }
    final int tag = text.indexOf(TAG);
    if (tag < 0) {
      return new FromLogprobs(null, "no " + TAG + " among the " + tokens.size() + " generated tokens");
    }
    final int at = tag + TAG.length();
    int k = -1;
    for (int i = 0; i < tokens.size(); i++) {
      if (starts[i] <= at && at < starts[i] + tokens.get(i).token().length()) {
        k = i;
        break;
      }
    }
    if (k < 0) {
      return new FromLogprobs(null, "the generation ends right after " + TAG);
    }
    final TokenLogprob verdict = tokens.get(k);
    final String prefix = text.substring(starts[k], at);
    final double yes = verdict.probability(t -> "YES".equals(spelling(t, prefix)));
    final double no = verdict.probability(t -> "NO".equals(spelling(t, prefix)));
    if (yes == 0 && no == 0) {
      return new FromLogprobs(null, "neither YES nor NO among the " + verdict.top().size()
          + " top logprobs of token #" + k + " ('" + verdict.token() + "'), the one after " + TAG);
    }
    final double lpYes = yes > 0 ? Math.log(yes) : MISSING_LOGPROB;
    final double lpNo = no > 0 ? Math.log(no) : MISSING_LOGPROB;
    final double pYes = 1.0 / (1.0 + Math.exp(lpNo - lpYes));
    return new FromLogprobs(new Verdict(pYes, lpYes, lpNo, SOURCE_LOGPROBS, "verdict token #" + k + " ('"
        + verdict.token() + "') of " + tokens.size() + (verdict.top().isEmpty()
        ? ", without top alternatives: only the generated token counts" : "")), null);
  }

  /**
   * "YES" or "NO" when {@code token}, after the tag remainder {@code prefix}, spells that verdict: leading spaces
   * (or the byte-level marks {@code Ġ} and {@code ▁}) and case ignored, anything but a letter may follow; else null.
   */
  static String spelling(final String token, final String prefix) {
    if (!token.startsWith(prefix)) {
      return null;
    }
    int i = prefix.length();
    while (i < token.length() && (Character.isWhitespace(token.charAt(i)) || token.charAt(i) == '\u0120'
        || token.charAt(i) == '\u2581')) {
      i++;
    }
    final String rest = token.substring(i).toUpperCase(Locale.ROOT);
    for (final String word : new String[] {"YES", "NO"}) {
      if (rest.startsWith(word) && (rest.length() == word.length()
          || !Character.isLetter(rest.charAt(word.length())))) {
        return word;
      }
    }
    return null;
  }

  private static String snippet(final String text) {
    final String oneLine = text.replaceAll("\\s+", " ").trim();
    return oneLine.length() > SNIPPET ? oneLine.substring(0, SNIPPET) + "..." : oneLine;
  }
}
