package io.r2estream.producers.commits;

import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.ObjectId;

/**
 * Recently read blobs, shared by the render threads of one scan. A blob is read for rename detection, for the
 * diff, for the UTF-8 check and for the contents, and a file's new blob is the next commit's old blob: without
 * this cache each of those reads inflates (and delta-resolves) the object again.
 */
final class BlobCache {

  /** Blobs above this are not cached: they are rare, and would evict everything else. */
  static final int MAX_ENTRY_BYTES = 4 * 1024 * 1024;
  static final long DEFAULT_CAPACITY_BYTES = 64L * 1024 * 1024;

  private final long capacityBytes;
  private long sizeBytes;
  private final LinkedHashMap<ObjectId, byte[]> blobs = new LinkedHashMap<>(1024, 0.75f, true);

  BlobCache(final long capacityBytes) {
    this.capacityBytes = capacityBytes;
  }

  synchronized byte[] get(final AnyObjectId id) {
    return blobs.get(id);
  }

  synchronized void put(final AnyObjectId id, final byte[] bytes) {
    if (bytes.length > MAX_ENTRY_BYTES) {
      return;
    }
    final byte[] previous = blobs.put(id.copy(), bytes);
    if (previous != null) {
      sizeBytes -= previous.length;
    }
    sizeBytes += bytes.length;
    final var it = blobs.entrySet().iterator();
    while (sizeBytes > capacityBytes && it.hasNext()) {
      final Map.Entry<ObjectId, byte[]> eldest = it.next();
      sizeBytes -= eldest.getValue().length;
      it.remove();
    }
  }
}
