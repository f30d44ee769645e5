package io.smdrelease.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Runs blocking tasks (store requests) on virtual threads, at most a given number at once: many small requests
 * overlap their latency, while the bound keeps a burst from overwhelming the service or the client's connections.
 */
public final class BoundedParallel {
    private final int maxConcurrency;

    /** @param maxConcurrency the most tasks running at once; 1 runs them one after another in the caller's thread */
    public BoundedParallel(int maxConcurrency) {
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency must be >= 1: " + maxConcurrency);
        }
        this.maxConcurrency = maxConcurrency;
    }

    public int maxConcurrency() {
        return maxConcurrency;
    }

    /**
     * Runs {@code tasks} and returns their results in order. When any fails, waits for the others and throws the
     * first failure, with up to ten others suppressed in it.
     */
    public <R> List<R> runAll(List<? extends Callable<R>> tasks) {
        List<R> results = new ArrayList<>(tasks.size());
        if (maxConcurrency == 1 || tasks.size() <= 1) {
            for (Callable<R> task : tasks) {
                results.add(call(task));
            }
            return results;
        }
        Semaphore permits = new Semaphore(maxConcurrency);
        List<Future<R>> futures = new ArrayList<>(tasks.size());
        RuntimeException failure = null;
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Callable<R> task : tasks) {
                futures.add(executor.submit(() -> {
                    permits.acquire();
                    try {
                        return task.call();
                    } finally {
                        permits.release();
                    }
                }));
            }
            for (Future<R> future : futures) {
                try {
                    results.add(future.get());
                } catch (ExecutionException e) {
                    RuntimeException cause = asRuntime(e.getCause());
                    if (failure == null) {
                        failure = cause;
                    } else if (failure != cause && failure.getSuppressed().length < 10) {
                        failure.addSuppressed(cause);
                    }
                    results.add(null);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    futures.forEach(f -> f.cancel(true));
                    throw new StoreException("interrupted while waiting for store requests", e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return results;
    }

    /** Runs {@code actions} like {@link #runAll}, for tasks without a result. */
    public void runEach(List<? extends Runnable> actions) {
        List<Callable<Void>> tasks = new ArrayList<>(actions.size());
        for (Runnable action : actions) {
            tasks.add(() -> {
                action.run();
                return null;
            });
        }
        runAll(tasks);
    }

    private static <R> R call(Callable<R> task) {
        try {
            return task.call();
        } catch (Exception e) {
            throw asRuntime(e);
        }
    }

    private static RuntimeException asRuntime(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error err) {
            throw err;
        }
        return new StoreException(t.getMessage(), t);
    }
}
