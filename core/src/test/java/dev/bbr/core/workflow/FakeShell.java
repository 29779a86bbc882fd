package dev.bbr.core.workflow;

import dev.bbr.core.remote.ExecResult;
import dev.bbr.core.remote.RemoteException;
import dev.bbr.core.remote.RemoteShell;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * An instance that answers bbr's commands like a VM would, in memory: jobs with scripts, a
 * {@code /var/vcap/store/bbr-backup} whose directories the backup scripts fill and the restore
 * upload extracts into, and faults on demand (a script failing, any command throwing). Records every
 * script run in a log shared across instances, so tests can assert what ran where, in which order.
 *
 * <p>The upload behaves like GNU {@code tar -x}: it reads the archive up to its end-of-archive
 * blocks and stops, leaving the record padding unread (the timing that made issue 17's race).
 */
final class FakeShell implements RemoteShell {
    private static final Pattern SCRIPT = Pattern.compile("/var/vcap/jobs/([^/']+)/bin/bbr/([^/' ]+)'?$");
    /** InstanceCommands.backupStep: directory, run id, script and size marker as the shell's arguments. */
    private static final Pattern BACKUP_STEP = Pattern.compile("^sudo -n sh -c '.*' sh '([^']*)' '([^']*)'"
            + " '(/var/vcap/jobs/([^/']+)/bin/bbr/([^/' ]+))' '([^']*)'$", Pattern.DOTALL);
    private static final Pattern ARTIFACT_ENV = Pattern.compile("BBR_ARTIFACT_DIRECTORY='([^']+)/'");
    /** The remote path a command works on (the tests' paths have no quotes or spaces). */
    private static final Pattern REMOTE_PATH = Pattern.compile("(/var/vcap/store/bbr-backup[^'\"\\s]*)");

    final String name;
    final Map<String, Set<String>> scripts;
    final Set<String> failing;
    final List<String> commandLog;
    final List<String> ownCommands = new CopyOnWriteArrayList<>();
    /** Remote artifact directories: path → (./relative name → content). */
    final Map<String, Map<String, byte[]>> store = new ConcurrentHashMap<>();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    /** Commands containing one of these block until a stop (pkill) for their run arrives. */
    private final List<String> blocking = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.CountDownLatch stopReceived = new java.util.concurrent.CountDownLatch(1);
    final List<String> controlCommands = new CopyOnWriteArrayList<>();
    volatile boolean artifactRootExists;
    volatile boolean closed;
    /** Bytes of the last upload the instance read. */
    volatile long lastUploadBytesRead;
    /** Delays before the tar stream starts and before the checksums answer (to order the two sessions). */
    volatile long downloadDelayMillis;
    volatile long checksumDelayMillis;
    /** When positive, the upload's "tar" reads only this many bytes and exits 0 (a broken remote). */
    volatile int uploadReadsAtMost;
    /** What {@code du -sb} prints. */
    volatile String sizeOutput = "1024\t/dir";
    /** Whether the backup command's {@code du -sb} prints (false: as if it failed, so the drain measures). */
    volatile boolean sizeReported = true;
    /** The instance's sha256sum reports a different digest for every file (a disk that changed the bytes). */
    volatile boolean checksumsLie;
    /** What each job's metadata script prints (job → YAML); a job without an entry prints nothing. */
    final Map<String, String> metadata = new ConcurrentHashMap<>();
    /** Commands containing a key fail with the mapped result instead of running. */
    private final Map<String, ExecResult> failures = new ConcurrentHashMap<>();
    private final Map<String, RemoteException> remoteFailures = new ConcurrentHashMap<>();

    FakeShell(String name, Map<String, Set<String>> scripts, Set<String> failing, List<String> commandLog) {
        this.name = name;
        this.scripts = scripts;
        this.failing = failing;
        this.commandLog = commandLog;
    }

    /** A fault: commands matching {@code when} throw {@code thrown} instead of running. */
    record Fault(Predicate<String> when, RuntimeException thrown) {}

    /** Makes every command containing {@code fragment} throw (e.g. a defect in a library). */
    FakeShell throwOn(String fragment, RuntimeException thrown) {
        faults.add(new Fault(c -> c.contains(fragment), thrown));
        return this;
    }

    /** Makes every command containing {@code fragment} exit {@code exitCode} with {@code stderr}, without running. */
    FakeShell failOn(String fragment, int exitCode, String stderr) {
        failures.put(fragment, new ExecResult(exitCode, new byte[0], stderr));
        return this;
    }

    /** Makes every command containing {@code fragment} end without an exit status (a lost connection). */
    FakeShell loseConnectionOn(String fragment, String message) {
        remoteFailures.put(fragment, new RemoteException(message));
        return this;
    }

    /** Makes the job's metadata script print {@code yaml}. */
    FakeShell metadata(String job, String yaml) {
        metadata.put(job, yaml);
        return this;
    }

    /** Makes commands containing {@code fragment} run until the run is stopped (a long restore script). */
    FakeShell blockUntilStopped(String fragment) {
        blocking.add(fragment);
        return this;
    }

    @Override
    public ExecResult runControl(String command) {
        controlCommands.add(command);
        if (command.contains("pkill -TERM -f")) {
            stopReceived.countDown();
        }
        return new ExecResult(0, new byte[0], "");
    }

    @Override
    public String address() {
        return name + ":22";
    }

    @Override
    public ExecResult run(String command) throws RemoteException {
        ownCommands.add(command);
        Matcher step = BACKUP_STEP.matcher(command);
        if (step.matches()) {
            return backupStep(step.group(1), step.group(2), step.group(3), step.group(6));
        }
        return runOne(command);
    }

    /**
     * The backup step as the instance runs it: mkdir, the script (faults and failures are looked
     * for in the command bbr would have run for the script alone), then the marker and the size
     * unless the size was made to fail (a fault or failure on {@code du -sb '<dir>'}).
     */
    private ExecResult backupStep(String dir, String runId, String scriptPath, String marker) throws RemoteException {
        String scriptAlone = "sudo -n timeout -k 10 0 env BBR_RUN_ID='" + runId + "' BBR_ARTIFACT_DIRECTORY='" + dir
                + "/' ARTIFACT_DIRECTORY='" + dir + "/' '" + scriptPath + "'";
        ExecResult ran = runOne(scriptAlone);
        String size = "sudo -n du -sb '" + dir + "'";
        if (ran.succeeded() && sizeReported && injectedFailure(size) == null
                && faults.stream().noneMatch(f -> f.when().test(size))) {
            return ok(ran.stdoutText() + marker + sizeOutput + "\n");
        }
        return ran;
    }

    private ExecResult runOne(String command) throws RemoteException {
        Matcher script = SCRIPT.matcher(command);
        if (script.find()) {
            // logged before any injected fault: the log tells what bbr attempted
            commandLog.add(name + " " + script.group(1) + " " + script.group(2)
                    + (command.contains("SUCCESSFUL='false'") ? " (false)"
                    : command.contains("SUCCESSFUL='true'") ? " (true)" : ""));
            injectFault(command);
            ExecResult failure = injectedFailure(command);
            if (failure != null) {
                return failure;
            }
            if (blocking.stream().anyMatch(command::contains)) {
                try {
                    if (stopReceived.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
                        return new ExecResult(143, new byte[0], "Terminated");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return runScript(command, script.group(1), script.group(2));
        }
        injectFault(command);
        ExecResult failure = injectedFailure(command);
        if (failure != null) {
            return failure;
        }
        if (command.contains("find \"$d\"")) {
            List<String> paths = new ArrayList<>();
            scripts.forEach((job, names) -> names.forEach(n -> paths.add("/var/vcap/jobs/" + job + "/bin/bbr/" + n)));
            String found = paths.isEmpty() ? "" : String.join("\0", paths) + "\0";
            return ok(found + (artifactRootExists ? "bbr-artifact-root-present\0" : ""));
        }
        if (command.startsWith("sudo -n stat ")) {
            return new ExecResult(artifactRootExists ? 0 : 1, new byte[0], "");
        }
        if (command.startsWith("sudo -n mkdir -p ")) {
            store.computeIfAbsent(firstQuoted(command), d -> new ConcurrentHashMap<>());
            return ok("");
        }
        if (command.startsWith("sudo -n du -sb")) {
            return ok(sizeOutput);
        }
        if (command.contains("sha256sum -z")) {
            sleep(checksumDelayMillis);
            return ok("\0" + checksumOutput(firstQuoted(command)));
        }
        if (command.startsWith("sudo -n rm -rf")) {
            String path = firstQuoted(command);
            store.keySet().removeIf(dir -> dir.equals(path) || dir.startsWith(path + "/"));
            commandLog.add(name + " rm " + command.substring(command.indexOf('\'')));
            return ok("");
        }
        return new ExecResult(127, new byte[0], "unexpected command " + command);
    }

    private ExecResult runScript(String command, String job, String script) {
        if (failing.contains(job + "/" + script)) {
            return new ExecResult(1, new byte[0], job + " " + script + " broke");
        }
        if (script.equals("metadata")) {
            return ok(metadata.getOrDefault(job, ""));
        }
        if (script.equals("backup")) {
            Matcher dir = ARTIFACT_ENV.matcher(command);
            if (dir.find()) {
                store.computeIfAbsent(dir.group(1), d -> new ConcurrentHashMap<>())
                        .put("./data", content(dir.group(1)));
            }
        }
        return ok("");
    }

    @Override
    public ExecResult download(String command, StdoutReader reader) throws RemoteException {
        ownCommands.add(command);
        injectFault(command);
        ExecResult failure = injectedFailure(command);
        if (failure != null) {
            return failure;
        }
        sleep(downloadDelayMillis);
        try {
            reader.read(new java.io.ByteArrayInputStream(tar(store.getOrDefault(firstQuoted(command), Map.of()))));
        } catch (IOException e) {
            throw new RemoteException("stdout.Write failed: " + e.getMessage(), e);
        }
        return new ExecResult(0, new byte[0], "");
    }

    @Override
    public ExecResult upload(String command, InputStream stdin) throws RemoteException {
        ownCommands.add(command);
        injectFault(command);
        String dir = firstQuoted(command);
        commandLog.add(name + " upload " + dir);
        ExecResult failure = injectedFailure(command);
        if (failure != null) {
            return failure;
        }
        if (uploadReadsAtMost > 0) {
            try {
                lastUploadBytesRead = stdin.readNBytes(uploadReadsAtMost).length;
            } catch (IOException e) {
                throw new RemoteException(e.getMessage(), e);
            }
            store.computeIfAbsent(dir, d -> new ConcurrentHashMap<>());
            return new ExecResult(0, new byte[0], "");
        }
        try {
            Map<String, byte[]> files = new TarUntilEndOfArchive(stdin).extract();
            store.computeIfAbsent(dir, d -> new ConcurrentHashMap<>()).putAll(files);
        } catch (IOException e) {
            return new ExecResult(2, new byte[0], "tar: " + e.getMessage());
        }
        return new ExecResult(0, new byte[0], "");
    }

    @Override
    public void close() {
        closed = true;
    }

    private void injectFault(String command) throws RemoteException {
        for (Fault fault : faults) {
            if (fault.when().test(command)) {
                throw fault.thrown();
            }
        }
        for (Map.Entry<String, RemoteException> lost : remoteFailures.entrySet()) {
            if (command.contains(lost.getKey())) {
                throw lost.getValue();
            }
        }
    }

    private ExecResult injectedFailure(String command) {
        for (Map.Entry<String, ExecResult> failure : failures.entrySet()) {
            if (command.contains(failure.getKey())) {
                return failure.getValue();
            }
        }
        return null;
    }

    /** What the data job's backup script writes: depends on instance and directory, so mix-ups show. */
    byte[] content(String dir) {
        return ("data of " + name + " in " + dir).getBytes(StandardCharsets.UTF_8);
    }

    private String checksumOutput(String dir) {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(store.getOrDefault(dir, Map.of())).forEach((file, bytes) ->
                out.append(checksumsLie ? sha256(("not " + new String(bytes, StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8)) : sha256(bytes)).append("  ").append(file).append('\0'));
        return out.toString();
    }

    private static String firstQuoted(String command) {
        Matcher m = REMOTE_PATH.matcher(command);
        if (!m.find()) {
            throw new IllegalArgumentException("no remote path in " + command);
        }
        return m.group(1);
    }

    static byte[] tar(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // padded to 10240-byte records as GNU tar does: the padding is what tar -x leaves unread
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, 10240)) {
            for (Map.Entry<String, byte[]> file : new TreeMap<>(files).entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setSize(file.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(file.getValue());
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ExecResult ok(String stdout) {
        return new ExecResult(0, stdout.getBytes(StandardCharsets.UTF_8), "");
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a ustar archive block by block and stops right after the two zero blocks that end it,
     * as GNU tar -x does; never reads the record padding after them.
     */
    private final class TarUntilEndOfArchive {
        private final InputStream in;
        private long read;

        TarUntilEndOfArchive(InputStream in) {
            this.in = in;
        }

        Map<String, byte[]> extract() throws IOException {
            Map<String, byte[]> files = new TreeMap<>();
            try {
                while (true) {
                    byte[] header = block();
                    if (isZero(header)) {
                        if (!isZero(block())) {
                            throw new IOException("A lone zero block");
                        }
                        return files;
                    }
                    String fileName = text(header, 0, 100);
                    long size = Long.parseLong(text(header, 124, 12).trim(), 8);
                    ByteArrayOutputStream data = new ByteArrayOutputStream();
                    for (long remaining = size; remaining > 0; remaining -= 512) {
                        data.write(block(), 0, (int) Math.min(512, remaining));
                    }
                    byte type = header[156];
                    if (type == '0' || type == 0) {
                        files.put(fileName, data.toByteArray());
                    }
                }
            } finally {
                lastUploadBytesRead = read;
            }
        }

        private byte[] block() throws IOException {
            byte[] block = in.readNBytes(512);
            if (block.length < 512) {
                throw new IOException("Unexpected EOF in archive");
            }
            read += 512;
            return block;
        }

        private boolean isZero(byte[] block) {
            for (byte b : block) {
                if (b != 0) {
                    return false;
                }
            }
            return true;
        }

        private String text(byte[] header, int offset, int length) {
            int end = offset;
            while (end < offset + length && header[end] != 0) {
                end++;
            }
            return new String(header, offset, end - offset, StandardCharsets.UTF_8);
        }
    }
}
