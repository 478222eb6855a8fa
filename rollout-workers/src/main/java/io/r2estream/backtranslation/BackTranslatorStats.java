package io.r2estream.backtranslation;

/**
 * What a {@link BackTranslator} did since it started.
 *
 * @param fromLlm          statements written by the LLM (acknowledged)
 * @param fallbacks        statements that are the commit message (acknowledged)
 * @param skipped          validations not NEW_COMMIT_BETTER, tombstones and superseded records
 * @param deadLettered     unreadable records sent to the dead-letter topic
 * @param committedBatches batches whose offsets were committed
 */
public record BackTranslatorStats(long fromLlm, long fallbacks, long skipped, long deadLettered,
    long committedBatches) {
}
