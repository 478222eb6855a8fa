package io.r2estream.llm;

import java.util.Objects;

/** One message of a chat: role ({@code system}, {@code user}, {@code assistant}) and text. */
public record ChatMessage(String role, String content) {

  public ChatMessage {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(content, "content");
  }

  public static ChatMessage system(final String content) {
    return new ChatMessage("system", content);
  }

  public static ChatMessage user(final String content) {
    return new ChatMessage("user", content);
  }

  public static ChatMessage assistant(final String content) {
    return new ChatMessage("assistant", content);
  }
}
