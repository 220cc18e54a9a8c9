package scnn.train.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A fixed pool of {@code threads} workers (the calling thread is one of them) that splits an
 * index range {@code [0, n)} into contiguous parts. Callers make every index's result depend only
 * on the index, never on the part it falls in, so results are identical for any thread count.
 */
public final class Workers implements AutoCloseable {
    /** Work on the indices {@code from..to-1}, done by worker {@code worker}. */
    @FunctionalInterface
    public interface RangeTask {
        void run(int from, int to, int worker);
    }

    private final int threads;
    private final ExecutorService pool;

    public Workers(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1");
        this.threads = threads;
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "scnn-train-worker");
            t.setDaemon(true);
            return t;
        });
    }

    public int threads() {
        return threads;
    }

    /** Runs {@code task} over {@code [0, n)} split into at most {@code threads} parts; waits for all. */
    public void run(int n, RangeTask task) {
        int parts = Math.min(threads, n);
        if (parts <= 1) {
            if (n > 0) task.run(0, n, 0);
            return;
        }
        List<Future<?>> fs = new ArrayList<>(parts - 1);
        for (int p = 1; p < parts; p++) {
            int from = (int) ((long) n * p / parts), to = (int) ((long) n * (p + 1) / parts), w = p;
            fs.add(pool.submit(() -> task.run(from, to, w)));
        }
        Throwable failure = null;
        try {
            task.run(0, (int) ((long) n / parts), 0);
        } catch (Throwable t) {
            failure = t;
        }
        for (Future<?> f : fs) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) failure = e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) failure = e;
            }
        }
        if (failure instanceof RuntimeException r) throw r;
        if (failure instanceof Error e) throw e;
        if (failure != null) throw new IllegalStateException(failure);
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
    }
}
