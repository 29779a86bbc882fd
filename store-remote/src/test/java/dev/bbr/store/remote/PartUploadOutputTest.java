package dev.bbr.store.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bbr.artifacts.store.StoreException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The upload pipeline against an in-memory sink: part order, bounded buffers, retries, abort. */
class PartUploadOutputTest {
    private static final int PART = 1024;

    /** Keeps parts by number; can fail the first attempts of a part and hold parts until released. */
    static final class MemorySink implements PartSink {
        final Map<Integer, byte[]> parts = new ConcurrentHashMap<>();
        final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        final AtomicInteger failuresLeft = new AtomicInteger();
        volatile CountDownLatch gate = new CountDownLatch(0);
        volatile IOException permanent;
        byte[] committed;

        @Override
        public void start() {
            calls.add("start");
        }

        @Override
        public void uploadPart(int number, long offset, byte[] data, int length) throws IOException {
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
            if (permanent != null) {
                throw permanent;
            }
            if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IOException("connection reset");
            }
            assertThat(offset).isEqualTo((long) (number - 1) * PART);
            parts.put(number, Arrays.copyOf(data, length));
        }

        @Override
        public void complete(int count, long totalBytes) throws IOException {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int n = 1; n <= count; n++) {
                all.write(parts.get(n));
            }
            committed = all.toByteArray();
            assertThat(committed.length).isEqualTo(totalBytes);
            calls.add("complete " + count);
        }

        @Override
        public void putWhole(byte[] data, int length) {
            committed = Arrays.copyOf(data, length);
            calls.add("whole " + length);
        }

        @Override
        public void abort() {
            calls.add("abort");
        }
    }

    private static TransferOptions options(int inFlight, int attempts, TransferStats stats) {
        return new TransferOptions(PART, inFlight, attempts, Duration.ofMillis(1), Duration.ofMillis(5), stats);
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + i / 7);
        }
        return b;
    }

    @Test
    void partsAreCommittedInOrderAndBuffersFreed() throws Exception {
        MemorySink sink = new MemorySink();
        TransferStats stats = new TransferStats();
        byte[] data = bytes(10 * PART + 17);
        try (PartUploadOutput out = new PartUploadOutput("x", sink, options(3, 1, stats))) {
            for (int i = 0; i < data.length; i += 333) {
                out.write(data, i, Math.min(333, data.length - i));
            }
            assertThat(out.bytesWritten()).isEqualTo(data.length);
        }
        assertThat(sink.committed).isEqualTo(data);
        assertThat(sink.calls).containsExactly("start", "complete 11");
        assertThat(stats.peakBuffers()).isLessThanOrEqualTo(4);
        assertThat(stats.liveBuffers()).isZero();
    }

    @Test
    void smallAndEmptyArtifactsAreOnePut() throws Exception {
        for (int size : new int[] {0, 1, PART - 1}) {
            MemorySink sink = new MemorySink();
            try (PartUploadOutput out = new PartUploadOutput("x", sink, options(2, 1, new TransferStats()))) {
                out.write(bytes(size));
            }
            assertThat(sink.calls).containsExactly("whole " + size);
            assertThat(sink.committed).isEqualTo(bytes(size));
        }
        MemorySink exact = new MemorySink();
        try (PartUploadOutput out = new PartUploadOutput("x", exact, options(2, 1, new TransferStats()))) {
            out.write(bytes(PART));
        }
        assertThat(exact.calls).containsExactly("start", "complete 1");
    }

    @Test
    void theWriterBlocksWhileAllPartsAreInFlight() throws Exception {
        MemorySink sink = new MemorySink();
        sink.gate = new CountDownLatch(1);
        TransferStats stats = new TransferStats();
        PartUploadOutput out = new PartUploadOutput("x", sink, options(2, 1, stats));
        Thread writer = new Thread(() -> {
            try {
                out.write(bytes(20 * PART));
                out.close();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        Thread.sleep(300);
        assertThat(writer.getState()).isIn(Thread.State.WAITING, Thread.State.TIMED_WAITING);
        assertThat(stats.liveBuffers()).isLessThanOrEqualTo(3);
        sink.gate.countDown();
        writer.join(10_000);
        assertThat(sink.committed).isEqualTo(bytes(20 * PART));
        assertThat(stats.peakBuffers()).isLessThanOrEqualTo(3);
    }

    @Test
    void aFailedPartIsRetriedWithTheSameNumberAndOffset() throws Exception {
        MemorySink sink = new MemorySink();
        sink.failuresLeft.set(3);
        TransferStats stats = new TransferStats();
        try (PartUploadOutput out = new PartUploadOutput("x", sink, options(2, 5, stats))) {
            out.write(bytes(4 * PART));
        }
        assertThat(sink.committed).isEqualTo(bytes(4 * PART));
        assertThat(stats.retries()).isEqualTo(3);
    }

    @Test
    void aPartFailingEveryAttemptFailsTheArtifactAndAbortsTheUpload() throws Exception {
        MemorySink sink = new MemorySink();
        sink.failuresLeft.set(1000);
        PartUploadOutput out = new PartUploadOutput("s3://b/x.tar", sink, options(2, 3, new TransferStats()));
        assertThatThrownBy(() -> {
            out.write(bytes(6 * PART));
            out.close();
        }).isInstanceOf(StoreException.class).hasMessageContaining("s3://b/x.tar")
                .hasMessageContaining("failed after 3 attempts: connection reset");
        // the writer saw the failure (in write or close); closing after it fails again and aborts
        assertThatThrownBy(out::close).isInstanceOf(StoreException.class);
        out.close(); // then nothing more
        assertThat(sink.calls).contains("abort").doesNotContain("complete 6");
    }

    @Test
    void aPermanentFailureIsNotRetried() throws Exception {
        MemorySink sink = new MemorySink();
        sink.permanent = new StoreException(StoreException.Reason.WRITE_FAILED, "s3://b: access denied");
        TransferStats stats = new TransferStats();
        PartUploadOutput out = new PartUploadOutput("x", sink, options(1, 5, stats));
        assertThatThrownBy(() -> {
            out.write(bytes(3 * PART));
            out.close();
        }).isInstanceOf(StoreException.class).hasMessageContaining("access denied");
        assertThat(stats.retries()).isZero();
    }

    @Test
    void abortDiscardsAndLaterWritesFail() throws Exception {
        MemorySink sink = new MemorySink();
        TransferStats stats = new TransferStats();
        PartUploadOutput out = new PartUploadOutput("x", sink, options(2, 1, stats));
        out.write(bytes(3 * PART + 5));
        out.abort();
        out.abort();
        out.close();
        assertThat(sink.calls).containsExactly("start", "abort");
        assertThat(sink.committed).isNull();
        assertThat(stats.liveBuffers()).isZero();
        assertThatThrownBy(() -> out.write(1)).isInstanceOf(IOException.class);
    }

    @Test
    void optionsParseFromTheEnvironment() {
        TransferOptions o = TransferOptions.fromEnv(Map.of("BBR_STORE_PART_SIZE", "8MiB", "BBR_STORE_PARTS_IN_FLIGHT",
                "2", "BBR_STORE_ATTEMPTS", "3"));
        assertThat(o.partSize()).isEqualTo(8 * 1024 * 1024);
        assertThat(o.partsInFlight()).isEqualTo(2);
        assertThat(o.attempts()).isEqualTo(3);
        assertThat(o.memoryBound()).isEqualTo(24L * 1024 * 1024);
        assertThat(TransferOptions.parseSize("x", "64k")).isEqualTo(65536);
        assertThat(TransferOptions.parseSize("x", "1048576")).isEqualTo(1048576);
        assertThat(TransferOptions.defaults().memoryBound()).isEqualTo(80L * 1024 * 1024);
        assertThatThrownBy(() -> TransferOptions.fromEnv(Map.of("BBR_STORE_PART_SIZE", "lots")))
                .hasMessageContaining("BBR_STORE_PART_SIZE=lots");
    }

    @Test
    void locationsNormaliseAndRedactionRemovesSecrets() throws Exception {
        RemoteLocation l = RemoteLocation.parse("s3", "s3://bucket//a/b/");
        assertThat(l.prefix()).isEqualTo("a/b");
        assertThat(l.toString()).isEqualTo("s3://bucket/a/b");
        assertThat(l.keyOf("x/y")).isEqualTo("a/b/x/y");
        assertThat(l.describe("x/")).isEqualTo("s3://bucket/a/b/x");
        assertThat(RemoteLocation.parse("s3", "s3://bucket").keyOf("k")).isEqualTo("k");
        for (String bad : List.of("s3://", "s3:///p", "s3://b/p?x=1", "s3://b/../p", "azure://b")) {
            assertThatThrownBy(() -> RemoteLocation.parse("s3", bad)).isInstanceOf(StoreException.class);
        }
        Redactor r = new Redactor(new ArrayList<>(List.of("s3cr3t/key+value", "tok")));
        assertThat(r.redact("a s3cr3t/key+value b s3cr3t%2Fkey%2Bvalue c ?sv=1&sig=abc%3D&se=2"))
                .isEqualTo("a **** b **** c ?sv=1&sig=****&se=2");
    }
}
