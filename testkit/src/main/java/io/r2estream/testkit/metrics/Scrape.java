package io.r2estream.testkit.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Prometheus text-format scrape the way Prometheus does, for tests that assert on a {@code /metrics}
 * endpoint: sample lines are {@code name{label="value",...} number}; comments and other metrics are skipped.
 */
public final class Scrape {

  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+\\S+)?$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private Scrape() {
  }

  /** GETs {@code url} and returns the body; fails on any status but 200. */
  public static String fetch(final URI url) throws IOException, InterruptedException {
    final HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(url).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("GET " + url + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  /**
   * The sum of the samples of {@code name} whose labels include all of {@code labels} (0 when none matches), so
   * that e.g. a counter can be summed over the values of a label the test does not pin.
   */
  public static double value(final String scrape, final String name, final Map<String, String> labels) {
    double sum = 0;
    for (final String line : scrape.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      final Matcher m = SAMPLE.matcher(line.trim());
      if (!m.matches() || !m.group(1).equals(name)) {
        continue;
      }
      if (labels(m.group(3)).entrySet().containsAll(labels.entrySet())) {
        sum += Double.parseDouble(m.group(4));
      }
    }
    return sum;
  }

  /** Whether any sample of {@code name} is present. */
  public static boolean has(final String scrape, final String name) {
    for (final String line : scrape.split("\n")) {
      final Matcher m = SAMPLE.matcher(line.trim());
      if (!line.startsWith("#") && m.matches() && m.group(1).equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static Map<String, String> labels(final String text) {
    final Map<String, String> out = new LinkedHashMap<>();
    if (text != null) {
      final Matcher m = LABEL.matcher(text);
      while (m.find()) {
        out.put(m.group(1), m.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\"));
      }
    }
    return out;
  }
}
