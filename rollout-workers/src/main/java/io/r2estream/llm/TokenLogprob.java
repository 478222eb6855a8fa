package io.r2estream.llm;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One generated token with its log-probability and the most likely alternatives at its position (OpenAI
 * {@code logprobs.content[]}, with {@code top_logprobs} when the request asked for them).
 *
 * @param token   the token the model generated
 * @param logprob its natural-log probability
 * @param top     the most likely tokens at this position, most likely first (the generated one usually among
 *                them); empty when the request asked for none
 */
public record TokenLogprob(String token, double logprob, List<Alternative> top) {

  /** A candidate token at a position and its natural-log probability. */
  public record Alternative(String token, double logprob) {

    public Alternative {
      Objects.requireNonNull(token, "token");
    }
  }

  public TokenLogprob {
    Objects.requireNonNull(token, "token");
    top = List.copyOf(top);
  }

  /**
   * The probability mass at this position of the tokens {@code matches} accepts, e.g. every spelling of "YES"
   * for a verifier's P(YES): summed over {@link #top}, or over the generated token
   * alone when there are no alternatives. Tokens outside the top list count as zero, so this is a lower bound.
   */
  public double probability(final Predicate<String> matches) {
    if (top.isEmpty()) {
      return matches.test(token) ? Math.exp(logprob) : 0.0;
    }
    return top.stream().filter(a -> matches.test(a.token())).mapToDouble(a -> Math.exp(a.logprob())).sum();
  }
}
