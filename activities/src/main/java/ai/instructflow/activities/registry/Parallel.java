package ai.instructflow.activities.registry;

import ai.instructflow.activities.worker.DaemonThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Blocking calls (object storage, Temporal) made side by side: a listing of the registry reads sixteen
 * index shards and a page's records at once rather than one after another. One small pool for the
 * process; a task given to it never waits on another task of it, so it cannot starve itself.
 */
public final class Parallel {

    private static final int THREADS = 16;
    private static final ExecutorService POOL = Executors.newFixedThreadPool(THREADS, DaemonThreads.numbered("registry-io"));

    private Parallel() {}

    /** {@code call} of every item, in the items' order; the first failure is thrown once every call has ended. */
    public static <T, R> List<R> map(List<T> items, Function<T, R> call) {
        if (items.size() < 2) {
            return items.stream().map(call).toList();
        }
        List<Future<R>> futures = new ArrayList<>(items.size());
        for (T item : items) {
            futures.add(POOL.submit(() -> call.apply(item)));
        }
        List<R> out = new ArrayList<>(items.size());
        RuntimeException failure = null;
        for (Future<R> f : futures) {
            try {
                out.add(f.get());
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(other -> other.cancel(true));
                throw new IllegalStateException("interrupted while waiting for storage", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return out;
    }
}
