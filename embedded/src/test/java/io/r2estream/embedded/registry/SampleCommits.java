package io.r2estream.embedded.registry;

import io.r2estream.avro.ChangeType;
import io.r2estream.avro.CommitEvent;
import io.r2estream.avro.FileChange;
import io.r2estream.topics.TaskIds;
import java.time.Instant;
import java.util.List;

/** Commit events with every kind of field set: nested records, arrays, null and non-null unions, enums, timestamps. */
final class SampleCommits {

  private SampleCommits() {
  }

  static CommitEvent commit(final int i) {
    final FileChange source = FileChange.newBuilder().setOldPath("pkg/mod" + i + ".py").setNewPath("pkg/mod" + i + ".py")
        .setChangeType(ChangeType.MODIFY).setAdditions(3 + i).setDeletions(1).setLanguage("python")
        .setPatch("@@ -1 +1,3 @@\n-x = 1\n+x = " + i + "\n+y = 'é ✓'\n").setOldContent("x = 1\n")
        .setNewContent("x = " + i + "\ny = 'é ✓'\n").build();
    final FileChange test = FileChange.newBuilder().setOldPath(null).setNewPath("tests/test_mod" + i + ".py")
        .setChangeType(ChangeType.ADD).setAdditions(10).setTestFile(true).build();
    return CommitEvent.newBuilder().setRepository("octo/repo").setSha(String.format("%040x", 0xabc000 + i))
        .setParentSha(i % 2 == 0 ? null : String.format("%040x", 0xabc000 + i - 1))
        .setAuthorName("Ada").setAuthorEmail("ada@example.org").setAuthorTime(Instant.ofEpochMilli(1_700_000_000_123L + i))
        .setCommitterName("Bob").setCommitterEmail("bob@example.org").setCommitTime(Instant.ofEpochMilli(1_700_000_100_456L + i))
        .setMessage("Fix bug #" + i + "\n\nLong description").setFiles(List.of(source, test)).setDiffBytes(4096L * i)
        .setDiffTruncated(i % 3 == 0).setSource("scan").setIngestedAt(Instant.ofEpochMilli(1_700_000_200_789L)).build();
  }

  static String key(final CommitEvent c) {
    return TaskIds.of(c.getRepository(), c.getSha());
  }
}
