package io.r2estream.producers.commits;

import io.r2estream.avro.CommitEvent;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.eclipse.jgit.lib.ObjectId;

/**
 * One pass over a selected list of commits, oldest first, yielding their events lazily. Commits are rendered
 * ahead on a small pool (one {@link CommitRenderer} per thread) within a bounded window, and handed out in
 * order; a commit that fails to render is counted and reported in {@link #stats()} instead of stopping the scan.
 * Close it when done early (a fully consumed scan closes itself).
 */
public final class CommitScan implements Iterator<CommitEvent>, AutoCloseable {

  /** Commits rendered ahead per thread: enough to keep the threads busy, bounded to cap memory. */
  private static final int WINDOW_PER_THREAD = 4;

  private final List<ObjectId> commits;
  private final ScanCounters counters;
  private final BlockingQueue<CommitRenderer> renderers;
  private final List<CommitRenderer> allRenderers;
  private final ExecutorService pool;
  private final int window;
  private final ArrayDeque<Future<Rendered>> inFlight = new ArrayDeque<>();
  private int submitted;
  private CommitEvent next;
  private boolean closed;

  CommitScan(final List<ObjectId> commits, final ScanCounters counters, final int threads,
      final Supplier<CommitRenderer> rendererFactory) {
    this.commits = commits;
    this.counters = counters;
    this.allRenderers = java.util.stream.IntStream.range(0, threads).mapToObj(i -> rendererFactory.get()).toList();
    this.renderers = new ArrayBlockingQueue<>(threads, false, allRenderers);
    this.window = threads * WINDOW_PER_THREAD;
    if (threads > 1) {
      final AtomicInteger n = new AtomicInteger();
      this.pool = Executors.newFixedThreadPool(threads, r -> {
        final Thread t = new Thread(r, "commit-render-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
    } else {
      this.pool = null;
    }
  }

  /** Number of commits this scan renders (known up front: the walk is done before the first event). */
  public int total() {
    return commits.size();
  }

  /** Counters so far; final once the scan is consumed. */
  public ScanStats stats() {
    return counters.snapshot();
  }

  /** The remaining events as a sequential stream; closing the stream closes the scan. */
  public Stream<CommitEvent> stream() {
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this,
        Spliterator.ORDERED | Spliterator.NONNULL), false).onClose(this::close);
  }

  @Override
  public boolean hasNext() {
    while (next == null && !closed && (submitted < commits.size() || !inFlight.isEmpty())) {
      fill();
      final Rendered r = await(inFlight.poll());
      if (r.event() != null) {
        counters.emitted(r.event());
        next = r.event();
      } else {
        counters.failed(r.error());
      }
    }
    if (next == null) {
      close();
    }
    return next != null;
  }

  @Override
  public CommitEvent next() {
    if (!hasNext()) {
      throw new NoSuchElementException("no more commits in this scan");
    }
    final CommitEvent e = next;
    next = null;
    return e;
  }

  /** Single-threaded scans render on the caller's thread, one commit at a time (no read-ahead). */
  private void fill() {
    if (pool == null) {
      if (inFlight.isEmpty() && submitted < commits.size()) {
        inFlight.add(CompletableFuture.completedFuture(renderSafely(commits.get(submitted++))));
      }
      return;
    }
    while (submitted < commits.size() && inFlight.size() < window) {
      final ObjectId id = commits.get(submitted++);
      inFlight.add(pool.submit(() -> renderSafely(id)));
    }
  }

  private Rendered renderSafely(final ObjectId id) {
    final CommitRenderer renderer;
    try {
      renderer = renderers.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Rendered(null, new ScanError(id.name(), "scan interrupted before rendering"));
    }
    try {
      return new Rendered(renderer.render(id), null);
    } catch (IOException | RuntimeException | StackOverflowError e) {
      final String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
      return new Rendered(null, new ScanError(id.name(), reason));
    } finally {
      renderers.add(renderer);
    }
  }

  private static Rendered await(final Future<Rendered> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while rendering commits", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("commit rendering failed: " + e.getCause(), e.getCause());
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    inFlight.forEach(f -> f.cancel(true));
    inFlight.clear();
    if (pool != null) {
      pool.shutdownNow();
      try {
        pool.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    allRenderers.forEach(CommitRenderer::close);
  }

  private record Rendered(CommitEvent event, ScanError error) {
  }
}
