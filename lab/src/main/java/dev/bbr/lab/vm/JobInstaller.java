package dev.bbr.lab.vm;

import dev.bbr.lab.LabConfig;
import dev.bbr.lab.LabException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lays out /var/vcap/jobs/&lt;job&gt;/ on a VM from the job library on the classpath
 * (jobs/&lt;library job&gt;/bbr/* -> bin/bbr/*, jobs/&lt;library job&gt;/ctl -> bin/ctl, the shared
 * jobs/lab-lib.sh -> bin/lab-lib.sh) and writes config/params.env for the scripts.
 */
public final class JobInstaller {
    private static final List<String> SCRIPTS = List.of("backup", "restore", "pre-backup-lock", "post-backup-unlock",
            "pre-restore-lock", "post-restore-unlock", "metadata");

    private JobInstaller() {
    }

    /** @return true if the job has a bin/ctl that the lab must run with "start" once the VM is up */
    public static boolean install(Path varVcap, LabConfig.Job job, Map<String, String> instanceEnv) {
        String lib = job.libraryJob();
        Path jobDir = varVcap.resolve("jobs").resolve(job.name());
        boolean found = false;
        try {
            Files.createDirectories(jobDir.resolve("bin/bbr"));
            Files.createDirectories(jobDir.resolve("config"));
            for (String s : SCRIPTS) {
                found |= copy("jobs/" + lib + "/bbr/" + s, jobDir.resolve("bin/bbr").resolve(s));
            }
            boolean ctl = copy("jobs/" + lib + "/ctl", jobDir.resolve("bin/ctl"));
            found |= ctl;
            if (!found) {
                throw new LabException("unknown library job '" + lib + "' (no scripts under jobs/" + lib + "/ on the classpath)");
            }
            copy("jobs/lab-lib.sh", jobDir.resolve("bin/lab-lib.sh"));
            Map<String, String> env = new LinkedHashMap<>(instanceEnv);
            env.put("LAB_JOB", job.name());
            env.put("LAB_RELEASE", job.releaseOr());
            job.paramMap().forEach((k, v) -> env.put(envName(k), render(v)));
            StringBuilder sb = new StringBuilder("# written by the bbr lab: instance identity and job parameters\n");
            env.forEach((k, v) -> sb.append(k).append('=').append(shellQuote(v)).append('\n'));
            Files.writeString(jobDir.resolve("config/params.env"), sb.toString());
            return ctl;
        } catch (IOException e) {
            throw new LabException("cannot install job " + job.name() + " into " + varVcap, e);
        }
    }

    private static boolean copy(String resource, Path target) throws IOException {
        try (InputStream in = JobInstaller.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return false;
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
            return true;
        }
    }

    static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
    }

    private static String render(Object v) {
        if (v instanceof List<?> l) {
            return String.join(" ", l.stream().map(String::valueOf).toList());
        }
        return String.valueOf(v);
    }

    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
