package io.smdrelease.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** Races: starts tasks on their own threads at the same instant and collects every outcome. */
public final class Concurrently {
    private Concurrently() {}

    /** What one task returned or threw. */
    public record Outcome<T>(T value, Throwable error) {
        public boolean succeeded() {
            return error == null;
        }
    }

    /** Runs {@code task.apply(i)} for i in 0..n-1, all released together; waits at most 60 s for each. */
    public static <T> List<Outcome<T>> run(int n, IntFunction<Callable<T>> task) throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<T>> runs = new ArrayList<>();
        List<Outcome<T>> outcomes = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            for (int i = 0; i < n; i++) {
                Callable<T> work = task.apply(i);
                runs.add(pool.submit(() -> {
                    go.await();
                    return work.call();
                }));
            }
            go.countDown();
            for (Future<T> run : runs) {
                try {
                    outcomes.add(new Outcome<>(run.get(60, TimeUnit.SECONDS), null));
                } catch (ExecutionException e) {
                    outcomes.add(new Outcome<>(null, e.getCause()));
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new AssertionError("a concurrent task did not finish within 60 s", e);
                }
            }
        }
        return outcomes;
    }
}
