package dev.bbr.core.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bbr.core.errors.BbrError;
import dev.bbr.core.errors.ErrorKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * bbr's executor contract: every task of every level runs, all errors come back in task order, at
 * most {@code maxInFlight} run at once, cancellation skips only what has not started, and nothing a
 * task throws escapes.
 */
@Timeout(30)
class LevelExecutorTest {
    /** A pool of its own, so that other tests' work never changes what these tests measure. */
    private final Workers workers = Workers.daemonPool();
    private final Cancellation cancellation = new Cancellation();

    private static BbrError error(String message) {
        return BbrError.of(ErrorKind.GENERAL, message);
    }

    private static List<String> messages(List<BbrError> errors) {
        return errors.stream().map(BbrError::message).toList();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) {
                throw new AssertionError("latch never opened");
            }
        } catch (InterruptedException e) {
            throw new AssertionError("interrupted", e);
        }
    }

    @Test
    void everyTaskOfEveryLevelRunsAndEveryErrorIsCollectedInTaskOrder() {
        LevelExecutor executor = new LevelExecutor(3, cancellation, workers);
        List<String> ran = new CopyOnWriteArrayList<>();
        List<List<LevelExecutor.Task>> levels = new ArrayList<>();
        for (int l = 0; l < 3; l++) {
            List<LevelExecutor.Task> level = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String name = "L" + l + "T" + t;
                boolean fails = t % 2 == 1;
                level.add(() -> {
                    ran.add(name);
                    return fails ? List.of(error(name + " failed"), error(name + " failed again")) : List.of();
                });
            }
            levels.add(level);
        }

        List<BbrError> errors = executor.runLevels(levels);

        assertThat(ran).hasSize(12).doesNotHaveDuplicates();
        assertThat(messages(errors)).containsExactly(
                "L0T1 failed", "L0T1 failed again", "L0T3 failed", "L0T3 failed again",
                "L1T1 failed", "L1T1 failed again", "L1T3 failed", "L1T3 failed again",
                "L2T1 failed", "L2T1 failed again", "L2T3 failed", "L2T3 failed again");
    }

    @Test
    void errorsKeepTaskOrderWhenLaterTasksFinishFirst() {
        LevelExecutor executor = new LevelExecutor(3, cancellation, workers);
        CountDownLatch lastDone = new CountDownLatch(1);
        CountDownLatch middleDone = new CountDownLatch(1);
        List<String> finished = new CopyOnWriteArrayList<>();
        List<LevelExecutor.Task> level = List.of(
                () -> {
                    await(middleDone);
                    finished.add("first");
                    return List.of(error("first"));
                },
                () -> {
                    await(lastDone);
                    finished.add("middle");
                    middleDone.countDown();
                    return List.of(error("middle"));
                },
                () -> {
                    finished.add("last");
                    lastDone.countDown();
                    return List.of(error("last"));
                });

        List<BbrError> errors = executor.runLevel(level);

        assertThat(finished).containsExactly("last", "middle", "first");
        assertThat(messages(errors)).containsExactly("first", "middle", "last");
    }

    @Test
    void aLevelStartsOnlyAfterEveryTaskOfThePreviousLevelEnded() {
        LevelExecutor executor = new LevelExecutor(4, cancellation, workers);
        List<String> log = new CopyOnWriteArrayList<>();
        List<List<LevelExecutor.Task>> levels = new ArrayList<>();
        for (int l = 0; l < 3; l++) {
            List<LevelExecutor.Task> level = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                String name = l + "/" + t;
                level.add(() -> {
                    log.add("start " + name);
                    log.add("end " + name);
                    return List.of();
                });
            }
            levels.add(level);
        }

        executor.runLevels(levels);

        for (int l = 1; l < 3; l++) {
            int firstStartOfLevel = Integer.MAX_VALUE;
            int lastEndOfPrevious = -1;
            for (int i = 0; i < log.size(); i++) {
                if (log.get(i).startsWith("start " + l + "/")) {
                    firstStartOfLevel = Math.min(firstStartOfLevel, i);
                }
                if (log.get(i).startsWith("end " + (l - 1) + "/")) {
                    lastEndOfPrevious = i;
                }
            }
            assertThat(lastEndOfPrevious).as("level %s waits for level %s", l, l - 1).isLessThan(firstStartOfLevel);
        }
    }

    @Test
    void atMostMaxInFlightTasksRunAtOnce() throws Exception {
        LevelExecutor executor = new LevelExecutor(3, cancellation, workers);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxSeen = new AtomicInteger();
        AtomicInteger started = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        List<LevelExecutor.Task> level = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            level.add(() -> {
                started.incrementAndGet();
                maxSeen.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                await(release);
                inFlight.decrementAndGet();
                return List.of();
            });
        }

        CompletableFuture<List<BbrError>> run = CompletableFuture.supplyAsync(() -> executor.runLevel(level));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> inFlight.get() == 3);
        assertThat(started.get()).as("tasks started while three are blocked").isEqualTo(3);
        release.countDown();

        assertThat(run.get(20, TimeUnit.SECONDS)).isEmpty();
        assertThat(started.get()).isEqualTo(10);
        assertThat(maxSeen.get()).isEqualTo(3);
    }

    @Test
    void maxInFlightOneRunsTasksInOrderOnTheCallersThread() {
        LevelExecutor executor = new LevelExecutor(1, cancellation, workers);
        List<String> order = new ArrayList<>();
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        List<LevelExecutor.Task> level = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String name = "t" + i;
            level.add(() -> {
                order.add(name);
                threads.add(Thread.currentThread());
                return List.of();
            });
        }

        executor.runLevels(List.of(level, level));

        assertThat(order).containsExactly("t0", "t1", "t2", "t3", "t4", "t0", "t1", "t2", "t3", "t4");
        assertThat(threads).containsExactly(Thread.currentThread());
    }

    @Test
    void aLevelOfOneTaskRunsOnTheCallersThreadWhateverTheLimit() {
        LevelExecutor executor = new LevelExecutor(8, cancellation, workers);
        AtomicReference<Thread> ranOn = new AtomicReference<>();

        executor.runLevel(List.of(() -> {
            ranOn.set(Thread.currentThread());
            return List.of();
        }));

        assertThat(ranOn.get()).isSameAs(Thread.currentThread());
    }

    @Test
    void parallelTasksRunOnTheWorkersNotTheCaller() {
        LevelExecutor executor = new LevelExecutor(2, cancellation, workers);
        Set<String> threadNames = ConcurrentHashMap.newKeySet();
        LevelExecutor.Task task = () -> {
            threadNames.add(Thread.currentThread().getName());
            return List.of();
        };

        executor.runLevel(List.of(task, task, task));

        assertThat(threadNames).isNotEmpty().allSatisfy(n -> assertThat(n).startsWith("bbr-worker-"));
    }

    @Test
    void cancellationSkipsTasksNotYetStartedButLetsRunningOnesFinish() throws Exception {
        LevelExecutor executor = new LevelExecutor(2, cancellation, workers);
        CountDownLatch bothRunning = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        List<String> finished = new CopyOnWriteArrayList<>();
        List<LevelExecutor.Task> first = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String name = "t" + i;
            first.add(() -> {
                bothRunning.countDown();
                await(release);
                finished.add(name);
                return List.of(error(name + " saw the cancel"));
            });
        }
        List<LevelExecutor.Task> second = List.of(() -> {
            finished.add("next level");
            return List.of();
        });

        CompletableFuture<List<BbrError>> run = CompletableFuture.supplyAsync(
                () -> executor.runLevels(List.of(first, second)));
        await(bothRunning);
        cancellation.cancel();
        release.countDown();
        List<BbrError> errors = run.get(20, TimeUnit.SECONDS);

        assertThat(finished).containsExactlyInAnyOrder("t0", "t1");
        assertThat(messages(errors)).containsExactly("t0 saw the cancel", "t1 saw the cancel");
    }

    @Test
    void cancellationSkipsTheRestOfASequentialLevel() {
        LevelExecutor executor = new LevelExecutor(1, cancellation, workers);
        List<String> ran = new ArrayList<>();
        List<LevelExecutor.Task> level = List.of(
                () -> {
                    ran.add("a");
                    return List.of();
                },
                () -> {
                    ran.add("b");
                    cancellation.cancel();
                    return List.of(error("b"));
                },
                () -> {
                    ran.add("c");
                    return List.of(error("c"));
                });

        List<BbrError> errors = executor.runLevel(level);

        assertThat(ran).containsExactly("a", "b");
        assertThat(messages(errors)).containsExactly("b");
    }

    @Test
    void aCancelledExecutorRunsNothing() {
        cancellation.cancel();
        AtomicInteger runs = new AtomicInteger();
        LevelExecutor.Task task = () -> {
            runs.incrementAndGet();
            return List.of();
        };

        assertThat(new LevelExecutor(1, cancellation, workers).runLevel(List.of(task))).isEmpty();
        assertThat(new LevelExecutor(3, cancellation, workers).runLevels(List.of(List.of(task, task, task))))
                .isEmpty();
        assertThat(runs).hasValue(0);
    }

    @Test
    void aThrowingTaskBecomesOneErrorOfTheGivenKindAndTheOthersStillRun() {
        for (int maxInFlight : new int[] {1, 3}) {
            LevelExecutor executor = new LevelExecutor(maxInFlight, cancellation, workers);
            IllegalStateException withMessage = new IllegalStateException("library defect");
            NullPointerException withoutMessage = new NullPointerException();
            AssertionError anError = new AssertionError("an Error, not an Exception");
            AtomicInteger fine = new AtomicInteger();
            List<LevelExecutor.Task> level = List.of(
                    () -> {
                        throw withMessage;
                    },
                    () -> {
                        fine.incrementAndGet();
                        return List.of();
                    },
                    () -> {
                        throw withoutMessage;
                    },
                    () -> {
                        throw anError;
                    },
                    () -> {
                        fine.incrementAndGet();
                        return List.of(error("ordinary"));
                    });

            List<BbrError> errors = executor.runLevel(level, ErrorKind.DRAIN);

            assertThat(fine).as("maxInFlight %s", maxInFlight).hasValue(2);
            assertThat(messages(errors)).containsExactly("unexpected error: library defect",
                    "unexpected error: NullPointerException", "unexpected error: an Error, not an Exception",
                    "ordinary");
            assertThat(errors.subList(0, 3)).extracting(BbrError::kind).containsOnly(ErrorKind.DRAIN);
            assertThat(errors.subList(0, 3)).extracting(BbrError::cause)
                    .containsExactly(withMessage, withoutMessage, anError);
            assertThat(errors.get(3).kind()).isEqualTo(ErrorKind.GENERAL);
        }
    }

    @Test
    void theDefaultKindForAThrowingTaskIsGeneralAndANullResultIsNoError() {
        LevelExecutor executor = new LevelExecutor(2, cancellation, workers);

        List<BbrError> errors = executor.runLevels(List.of(List.of(() -> null, () -> {
            throw new UnsupportedOperationException();
        })));

        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.GENERAL);
            assertThat(e.message()).isEqualTo("unexpected error: UnsupportedOperationException");
        });
    }

    @Test
    void anInterruptedCallerKeepsWaitingForRunningTasksAndKeepsItsInterruptFlag() throws Exception {
        LevelExecutor executor = new LevelExecutor(2, cancellation, workers);
        CountDownLatch running = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean workerInterrupted = new AtomicBoolean();
        LevelExecutor.Task task = () -> {
            running.countDown();
            await(release);
            workerInterrupted.compareAndSet(false, Thread.currentThread().isInterrupted());
            return List.of(error("finished after the interrupt"));
        };
        AtomicReference<List<BbrError>> result = new AtomicReference<>();
        AtomicBoolean flagAfterReturn = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            result.set(executor.runLevel(List.of(task, task)));
            flagAfterReturn.set(Thread.currentThread().isInterrupted());
        }, "interrupted-caller");

        caller.start();
        await(running);
        caller.interrupt();
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> caller.getState() == Thread.State.WAITING || caller.getState() == Thread.State.TIMED_WAITING);
        assertThat(caller.isAlive()).as("still waiting for the running tasks").isTrue();
        release.countDown();
        caller.join(20_000);

        assertThat(caller.isAlive()).isFalse();
        assertThat(messages(result.get())).containsExactly("finished after the interrupt",
                "finished after the interrupt");
        assertThat(flagAfterReturn).as("interrupt flag re-asserted").isTrue();
        assertThat(workerInterrupted).as("the interrupt is not passed to the tasks").isFalse();
    }

    @Test
    void anEmptyLevelRunsNothingAndALimitBelowOneIsRefused() {
        LevelExecutor executor = new LevelExecutor(2, cancellation, workers);
        assertThat(executor.runLevel(List.of())).isEmpty();
        assertThat(executor.runLevels(List.of(List.of(), List.of()))).isEmpty();
        assertThatThrownBy(() -> new LevelExecutor(0, cancellation, workers))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxInFlight must be at least 1");
    }
}
