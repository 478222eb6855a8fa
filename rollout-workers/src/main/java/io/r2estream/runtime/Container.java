package io.r2estream.runtime;

/** A started container: its engine id and the spec it was started from. */
public record Container(String id, String name, ContainerSpec spec) {
}
