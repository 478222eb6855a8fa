package io.r2estream.producers.commits;

import java.io.IOException;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;

/**
 * An object reader that serves blobs from a {@link BlobCache}. The diff formatter and the rename detector read
 * through it, and so does the scanner when it needs a blob's bytes, so each blob is inflated once.
 */
final class CachingObjectReader extends ObjectReader.Filter {

  private final ObjectReader delegate;
  private final BlobCache cache;

  CachingObjectReader(final ObjectReader delegate, final BlobCache cache) {
    this.delegate = delegate;
    this.cache = cache;
  }

  @Override
  protected ObjectReader delegate() {
    return delegate;
  }

  @Override
  public ObjectLoader open(final AnyObjectId id, final int typeHint) throws IOException {
    if (typeHint != Constants.OBJ_BLOB) {
      return delegate.open(id, typeHint);
    }
    final byte[] cached = cache.get(id);
    if (cached != null) {
      return new ObjectLoader.SmallObject(Constants.OBJ_BLOB, cached);
    }
    final ObjectLoader loader = delegate.open(id, typeHint);
    if (loader.isLarge() || loader.getSize() > BlobCache.MAX_ENTRY_BYTES) {
      return loader;
    }
    final byte[] bytes = loader.getCachedBytes();
    cache.put(id, bytes);
    return new ObjectLoader.SmallObject(Constants.OBJ_BLOB, bytes);
  }

  @Override
  public long getObjectSize(final AnyObjectId id, final int typeHint) throws IOException {
    if (typeHint == Constants.OBJ_BLOB) {
      final byte[] cached = cache.get(id);
      if (cached != null) {
        return cached.length;
      }
    }
    return delegate.getObjectSize(id, typeHint);
  }

  /** The whole content of a blob; do not modify the returned array (it may be shared through the cache). */
  byte[] blobBytes(final AnyObjectId id) throws IOException {
    return open(id, Constants.OBJ_BLOB).getCachedBytes(Integer.MAX_VALUE);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
