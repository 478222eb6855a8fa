package io.r2estream.llm;

import java.util.List;

/**
 * The platform's one token estimate: about four characters per token, the usual figure for English text and code
 * under BPE tokenizers. No model's tokenizer is loaded (the endpoint's model is not known in advance); budgets that
 * rely on this estimate keep a margin below the model's real context length.
 */
public final class TokenEstimates {

  /** Characters counted as one token. */
  public static final int CHARS_PER_TOKEN = 4;

  private TokenEstimates() {
  }

  /** The estimated tokens of {@code chars} characters of text. */
  public static int ofChars(final long chars) {
    return (int) Math.min(Integer.MAX_VALUE, chars / CHARS_PER_TOKEN);
  }

  /** The estimated tokens of a text. */
  public static int of(final CharSequence text) {
    return ofChars(text.length());
  }

  /** The estimated tokens of a conversation: every message's text plus its tool calls' names and arguments. */
  public static int of(final List<ChatMessage> messages) {
    long chars = 0;
    for (final ChatMessage m : messages) {
      chars += m.content().length();
      for (final ToolCall c : m.toolCalls()) {
        chars += c.name().length() + c.arguments().length();
      }
    }
    return ofChars(chars);
  }
}
