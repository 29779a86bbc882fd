package dev.bbr.service.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The scheduler's thread: ticks, then waits until the next due time. The wait is capped at
 * {@link #MAX_WAIT} so a clock that jumps (NTP, a resumed VM) is noticed within seconds; {@link #stop}
 * wakes it at once.
 */
public final class SchedulerLoop implements Runnable {
    static final Duration MAX_WAIT = Duration.ofSeconds(5);

    private final Scheduler scheduler;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private volatile boolean stopped;

    public SchedulerLoop(Scheduler scheduler, Clock clock) {
        this.scheduler = scheduler;
        this.clock = clock;
    }

    @Override
    public void run() {
        scheduler.start();
        while (!stopped) {
            Optional<Instant> next = scheduler.tick();
            long waitMillis = next.map(n -> Duration.between(clock.instant(), n).toMillis()).orElse(MAX_WAIT.toMillis());
            waitMillis = Math.max(1, Math.min(waitMillis, MAX_WAIT.toMillis()));
            lock.lock();
            try {
                if (!stopped) {
                    wake.awaitNanos(Duration.ofMillis(waitMillis).toNanos());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    public void stop() {
        lock.lock();
        try {
            stopped = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
