package io.r2estream.workers;

import io.r2estream.topics.TopicSpec;
import org.apache.avro.specific.SpecificRecord;

/** One record a job publishes: topic, key and value (null for a tombstone). */
public record Output<T extends SpecificRecord>(TopicSpec<T> topic, String key, T value) {
}
