package io.r2estream.runtime;

import java.time.Duration;
import java.util.Map;

/**
 * An image to build: its tag, the Dockerfile text, extra build-context files (relative path to bytes), labels,
 * and a time limit. The Dockerfile's FROM must name a local image: no registry is assumed.
 */
public record ImageBuild(String tag, String dockerfile, Map<String, byte[]> context, Map<String, String> labels,
    Duration timeout) {

  public ImageBuild {
    context = Map.copyOf(context);
    labels = Map.copyOf(labels);
  }
}
