package io.r2estream.agent;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One tool call of the editing agent: the tool's name and its parameters in the order the model wrote them. Values
 * are strings whichever mode produced them (text mode has nothing else; function-calling arguments are rendered the
 * way R2E-Gym's tools received them on their command line, see {@link ActionParser#parseToolCall}).
 */
public record Action(String name, Map<String, String> parameters) {

  public Action {
    Objects.requireNonNull(name, "name");
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  /** The parameter's value, or null when the model did not give it. */
  public String parameter(final String key) {
    return parameters.get(key);
  }

  /**
   * The normalized text-mode form kept in the history (R2E-Gym stores {@code thought + "\n\n" + this}): one
   * {@code <parameter=KEY>VALUE</parameter>} line per parameter, indented by two spaces.
   */
  public String toXml() {
    final StringBuilder xml = new StringBuilder("<function=").append(name).append(">\n");
    parameters.forEach((k, v) -> xml.append("  <parameter=").append(k).append('>').append(v).append("</parameter>\n"));
    return xml.append("</function>").toString();
  }
}
