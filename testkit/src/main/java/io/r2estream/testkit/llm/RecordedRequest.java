package io.r2estream.testkit.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request as {@link ScriptedLlmServer} received it, kept for assertions.
 *
 * @param index      0-based arrival order
 * @param method     HTTP method
 * @param path       request path, e.g. {@code /v1/chat/completions}
 * @param headers    headers by lower-case name
 * @param body       the body as UTF-8 text
 * @param receivedAt when the server started handling it
 */
public record RecordedRequest(int index, String method, String path, Map<String, List<String>> headers, String body,
    Instant receivedAt) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public RecordedRequest {
    headers = Map.copyOf(headers);
  }

  /** The first value of a header (case-insensitive name), or null. */
  public String header(final String name) {
    final List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** The body parsed as JSON; fails when the client sent something else. */
  public JsonNode json() {
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("request #" + index + " body is not JSON: " + body, e);
    }
  }

  /** The content of the last chat message of the request (the prompt, for single-turn calls). */
  public String lastMessageContent() {
    final JsonNode messages = json().path("messages");
    return messages.size() == 0 ? "" : messages.get(messages.size() - 1).path("content").asText();
  }
}
