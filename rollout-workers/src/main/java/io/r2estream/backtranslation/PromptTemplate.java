package io.r2estream.backtranslation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A prompt kept as a classpath resource with {@code {{name}}} placeholders. Rendering fails on a placeholder that has
 * no value, so that a renamed variable cannot silently send a prompt with a hole in it. Values are inserted verbatim
 * (a value containing {@code {{x}}} is not expanded again).
 */
final class PromptTemplate {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)}}");

  private final String name;
  private final String text;

  private PromptTemplate(final String name, final String text) {
    this.name = name;
    this.text = text;
  }

  static PromptTemplate resource(final String path) {
    return new PromptTemplate(path, readResource(path));
  }

  static String readResource(final String path) {
    try (InputStream in = PromptTemplate.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("prompt resource " + path + " is not on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read prompt resource " + path, e);
    }
  }

  String render(final Map<String, String> values) {
    final Matcher m = PLACEHOLDER.matcher(text);
    final StringBuilder out = new StringBuilder(text.length() + 4096);
    while (m.find()) {
      final String value = values.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException("prompt " + name + " needs a value for {{" + m.group(1) + "}}");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
