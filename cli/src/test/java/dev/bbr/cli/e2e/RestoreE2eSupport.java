package dev.bbr.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.cli.CliRun;
import dev.bbr.lab.ExecResult;
import dev.bbr.lab.Lab;
import dev.bbr.lab.LabInstance;
import dev.bbr.lab.LabRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Shared helpers of the restore / director / all-deployments / proxy end-to-end tests. */
final class RestoreE2eSupport {
    static final String DEP = "lab-deployment";

    private RestoreE2eSupport() {}

    /** Runs the real CLI in-process with the given environment. */
    static CliRun bbr(Map<String, String> env, String... args) {
        return CliRun.run(null, env, args);
    }

    /** A single command line for assertion messages. */
    static String describe(CliRun run) {
        return "exit " + run.exitCode() + "\n--- stdout ---\n" + run.out() + "\n--- stderr ---\n" + run.err();
    }

    /** Runs bash as root in the VM and fails the test when it fails. */
    static String exec(LabInstance vm, String bash) {
        ExecResult r = vm.exec(bash);
        assertThat(r.exitCode()).as("%s on %s: %s", bash, vm, r.stderr()).isZero();
        return r.stdout();
    }

    /** path -> sha256 of every regular file under dir inside the VM ("" when dir is missing). */
    static Map<String, String> sha256Tree(LabInstance vm, String dir) {
        String out = exec(vm, "[ -d '" + dir + "' ] || exit 0; cd '" + dir
                + "' && find . -type f -print0 | sort -z | xargs -0 -r sha256sum");
        Map<String, String> sums = new TreeMap<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                sums.put(line.substring(66), line.substring(0, 64));
            }
        }
        return sums;
    }

    /**
     * Undoes what a test may have left on a deployment's instances: injected failures, runtime
     * parameters, lock/call logs, leftover remote artifact directories.
     */
    static void resetInstances(Lab lab, String deployment) {
        for (LabInstance vm : lab.instances(deployment)) {
            exec(vm, "rm -rf /var/vcap/store/lab-fail /var/vcap/store/lab-params /var/vcap/store/fail-* "
                    + "/var/vcap/store/bbr-backup /var/vcap/store/backup-one-restore-all "
                    + "/var/vcap/sys/log/lab/restore-spans.log; "
                    + ": > /var/vcap/sys/log/lock-recorder/locks.log 2>/dev/null; "
                    + "mkdir -p /var/vcap/sys/log/lab && : > /var/vcap/sys/log/lab/calls.log");
        }
        lab.clearRequests();
    }

    /** Makes {@code job}'s {@code script} fail on the VM (lab's lab-fail mechanism). */
    static void failScript(LabInstance vm, String job, String script, String message) {
        exec(vm, "mkdir -p /var/vcap/store/lab-fail/" + job + " && printf '%s' '" + message
                + "' > /var/vcap/store/lab-fail/" + job + "/" + script);
    }

    /** Requests that change state on the Director (ssh setup/cleanup are POSTs). */
    static List<String> stateChangingRequests(Lab lab) {
        return lab.requests().stream().filter(r -> !r.method().equals("GET")).map(LabRequest::line).toList();
    }

    /** The one backup directory a backup wrote into {@code artifactPath}. */
    static Path onlyBackupDir(Path artifactPath) throws IOException {
        try (Stream<Path> s = Files.list(artifactPath)) {
            List<Path> dirs = s.filter(Files::isDirectory).toList();
            assertThat(dirs).as("backup directories in %s", artifactPath).hasSize(1);
            return dirs.get(0);
        }
    }

    static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Copies a backup directory (flat: metadata + tars) so a test can damage its copy. */
    static Path copyBackup(Path backup, Path into) throws IOException {
        Path copy = into.resolve(backup.getFileName());
        Files.createDirectories(copy);
        try (Stream<Path> s = Files.list(backup)) {
            for (Path f : s.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        return copy;
    }

    /** Runs a local command (GNU tar etc.) and fails the test when it fails; returns stdout. */
    static String run(Path cwd, String... argv) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        if (cwd != null) {
            pb.directory(cwd.toFile());
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", argv), out).isZero();
        return out;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "./rel/path" -> sha256 of every regular file under dir (the Go bbr checksum key form). */
    static Map<String, String> localChecksums(Path dir) throws IOException {
        Map<String, String> sums = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            sums.put("./" + dir.relativize(f).toString().replace('\\', '/'), sha256(f));
        }
        return sums;
    }

    /** Leading epoch-ns of calls.log / locks.log lines. */
    static long ns(String line) {
        return Long.parseLong(line.substring(0, line.indexOf(' ')));
    }

    /** calls.log lines of one script (4th field). */
    static List<String> callsOf(List<String> calls, String script) {
        List<String> out = new ArrayList<>();
        for (String c : calls) {
            String[] f = c.split(" ");
            if (f.length > 3 && f[3].equals(script)) {
                out.add(c);
            }
        }
        return out;
    }
}
