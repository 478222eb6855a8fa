package io.r2estream.envbuilder;

import java.util.Map;

/**
 * An env image: the base image plus one repository with its dependencies installed, shared by every commit with
 * the same dependency fingerprint. {@code rootSha} is the commit its {@code /testbed} holds (the oldest commit of
 * the fingerprint's run of history); {@code env} is what the recipe's install step asks tests to run with.
 */
public record EnvImage(String tag, String repository, String fingerprint, String rootSha, Map<String, String> env,
    boolean built, long buildMillis, String installMode) {

  public EnvImage {
    env = Map.copyOf(env);
  }
}
