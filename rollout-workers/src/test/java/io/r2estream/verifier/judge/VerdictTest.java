package io.r2estream.verifier.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.llm.ChatResponse;
import io.r2estream.llm.TokenLogprob;
import io.r2estream.llm.TokenLogprob.Alternative;
import io.r2estream.llm.TokenUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** P(YES) from the top logprobs after {@code <judgement>}, however the tag is tokenized, and the fallbacks. */
class VerdictTest {

  private static final double LN_09 = Math.log(0.9);
  private static final double LN_01 = Math.log(0.1);

  @Test
  void readsTheTokenAfterATagSplitOverFiveTokens() {
    // "<", "jud", "gement", ">", "YES": the verdict is token #4, R2E-Gym's fixed index under Qwen.
    final Verdict v = Verdict.of(response("<judgement>YES</judgement>", List.of(
        token("<"), token("jud"), token("gement"), token(">"),
        new TokenLogprob("YES", LN_09, List.of(new Alternative("YES", LN_09), new Alternative("NO", LN_01))),
        token("</"), token("judgement"), token(">"))));
    assertEquals(Verdict.SOURCE_LOGPROBS, v.source());
    assertEquals(0.9, v.pYes(), 1e-9);
    assertEquals(LN_09, v.logprobYes(), 1e-9);
    assertEquals(LN_01, v.logprobNo(), 1e-9);
    assertTrue(v.detail().startsWith("verdict token #4 ('YES')"), v.detail());
  }

  @Test
  void readsTheTokenAfterAWholeTagTokenWithALeadingSpace() {
    // "<judgement>", " YES": the verdict is token #1; " NO" and "no" add up as NO.
    final Verdict v = Verdict.of(response("<judgement> YES</judgement>", List.of(
        token("<judgement>"),
        new TokenLogprob(" YES", Math.log(0.6), List.of(new Alternative(" YES", Math.log(0.6)),
            new Alternative(" NO", Math.log(0.15)), new Alternative("no", Math.log(0.05)),
            new Alternative(" Yesterday", Math.log(0.1)), new Alternative(" NOT", Math.log(0.1)))),
        token("</judgement>"))));
    assertEquals(0.6 / (0.6 + 0.2), v.pYes(), 1e-9);
    assertEquals(Math.log(0.2), v.logprobNo(), 1e-9);
    assertTrue(v.detail().startsWith("verdict token #1"), v.detail());
  }

  @Test
  void readsAVerdictTokenThatStartsInsideTheTag() {
    // "<judgement", ">NO": the alternatives at that position carry the tag's remainder too.
    final Verdict v = Verdict.of(response("<judgement>NO</judgement>", List.of(
        token("Sure. "), token("<judgement"),
        new TokenLogprob(">NO", Math.log(0.7), List.of(new Alternative(">NO", Math.log(0.7)),
            new Alternative(">YES", Math.log(0.3)), new Alternative("YES", Math.log(0.001)))),
        token("</judgement>"))));
    assertEquals(0.3, v.pYes(), 1e-9);
    assertTrue(v.detail().startsWith("verdict token #2 ('>NO')"), v.detail());
  }

  @Test
  void aVerdictMissingFromTheTopAlternativesGetsMinusTenThousand() {
    final Verdict v = Verdict.of(response("<judgement>YES</judgement>", List.of(token("<judgement>"),
        new TokenLogprob("YES", -0.01, List.of(new Alternative("YES", -0.01), new Alternative("MAYBE", -5))))));
    assertEquals(Verdict.MISSING_LOGPROB, v.logprobNo());
    assertEquals(1.0, v.pYes(), 1e-12);
  }

  @Test
  void readsOnlyTheFirstTagAndIgnoresYesNoElsewhere() {
    final List<TokenLogprob> tokens = new ArrayList<>();
    tokens.add(new TokenLogprob("YES", -0.001, List.of(new Alternative("YES", -0.001))));
    tokens.add(token("<judgement>"));
    tokens.add(new TokenLogprob("NO", Math.log(0.8), List.of(new Alternative("NO", Math.log(0.8)),
        new Alternative("YES", Math.log(0.2)))));
    tokens.add(token("</judgement><judgement>"));
    tokens.add(new TokenLogprob("YES", -0.001, List.of(new Alternative("YES", -0.001))));
    assertEquals(0.2, Verdict.of(response("YES<judgement>NO</judgement><judgement>YES", tokens)).pYes(), 1e-9);
  }

  @Test
  void fallsBackToTheWrittenVerdictWithoutLogprobs() {
    final Verdict yes = Verdict.of(response("<judgement>YES</judgement>", List.of()));
    assertEquals(Verdict.SOURCE_VERDICT_TEXT, yes.source());
    assertEquals(1.0, yes.pYes());
    assertNull(yes.logprobYes());
    assertEquals("the endpoint returned no logprobs; verdict read from the text: YES", yes.detail());

    final Verdict no = Verdict.of(response("I checked.\n<judgement> no </judgement>", List.of()));
    assertEquals(0.0, no.pYes());
    assertEquals(Verdict.SOURCE_VERDICT_TEXT, no.source());
  }

  @Test
  void fallsBackToTheTextWhenTheLogprobsNameNeitherVerdict() {
    final Verdict v = Verdict.of(response("<judgement>NO</judgement>", List.of(token("<judgement>"),
        new TokenLogprob("NO", -0.1, List.of(new Alternative("Maybe", -0.5))))));
    assertEquals(Verdict.SOURCE_VERDICT_TEXT, v.source());
    assertEquals(0.0, v.pYes());
    assertTrue(v.detail().startsWith("neither YES nor NO among the 1 top logprobs of token #1 ('NO')"),
        v.detail());
  }

  @Test
  void anUnreadableAnswerHasNoVerdictAndSaysWhy() {
    final Verdict v = Verdict.of(response("I think it is probably fine.", List.of(token("I"),
        token(" think"))));
    assertFalse(v.readable());
    assertNull(v.pYes());
    assertEquals("", v.source());
    assertEquals("no <judgement> among the 2 generated tokens; the text has no <judgement>YES or <judgement>NO"
        + " either: 'I think it is probably fine.'", v.detail());

    final Verdict maybe = Verdict.of(response("<judgement>MAYBE</judgement>", List.of()));
    assertFalse(maybe.readable());
    assertTrue(maybe.detail().startsWith("the endpoint returned no logprobs; the text has no"), maybe.detail());
    assertFalse(Verdict.of(response("<judgement>NOPE</judgement>", List.of())).readable());
  }

  @Test
  void spellingsToleratesSpacesCaseAndByteLevelMarks() {
    assertEquals("YES", Verdict.spelling(" yes", ""));
    assertEquals("YES", Verdict.spelling("\u0120YES", ""));
    assertEquals("NO", Verdict.spelling("\u2581No", ""));
    assertEquals("NO", Verdict.spelling("NO<", ""));
    assertNull(Verdict.spelling("NOT", ""));
    assertNull(Verdict.spelling("YES", ">"));
    assertEquals("YES", Verdict.spelling("> YES", ">"));
  }

  private static TokenLogprob token(final String text) {
    return new TokenLogprob(text, -0.0001, List.of(new Alternative(text, -0.0001)));
  }

  private static ChatResponse response(final String content, final List<TokenLogprob> logprobs) {
    return new ChatResponse("id", "judge", content, "stop", TokenUsage.UNKNOWN, Duration.ZERO, 1, List.of(),
        logprobs, Duration.ZERO);
  }
}
