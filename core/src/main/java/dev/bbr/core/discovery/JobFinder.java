package dev.bbr.core.discovery;

import dev.bbr.core.errors.Failures;
import dev.bbr.core.log.Log;
import dev.bbr.core.model.Job;
import dev.bbr.core.model.JobMetadata;
import dev.bbr.core.model.JobRef;
import dev.bbr.core.model.Script;
import dev.bbr.core.remote.ExecResult;
import dev.bbr.core.remote.InstanceCommands;
import dev.bbr.core.remote.RemoteException;
import dev.bbr.core.remote.RemoteShell;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds the jobs with bbr scripts on one instance and runs their metadata scripts. */
public final class JobFinder {
    private static final Pattern SCRIPT_PATH = Pattern.compile("^/var/vcap/jobs/([^/]+)/bin/bbr/([^/]+)$");
    /** Legacy cf-mysql jobs that bbr ignores entirely. */
    private static final Set<String> IGNORED_JOBS = Set.of("mysql-backup", "mysql-restore");

    private final String bbrVersion;
    private final Log log;

    public JobFinder(String bbrVersion, Log log) {
        this.bbrVersion = bbrVersion;
        this.log = log;
    }

    /** What one instance holds: its enabled jobs, and whether the artifact root is already there. */
    public record Found(List<Job> jobs, boolean artifactRootPresent) {}

    /** As {@link #examine}, for callers that need the jobs only. */
    public List<Job> find(String label, String group, RemoteShell shell, ManifestInfo manifest, boolean directorMode)
            throws DiscoveryException {
        return examine(label, group, shell, manifest, directorMode).jobs();
    }

    /**
     * @param label        {@code group/id} for messages
     * @param group        instance group, for manifest lookups
     * @param directorMode ordering constraints name jobs without their release (bbr drops it there)
     */
    public Found examine(String label, String group, RemoteShell shell, ManifestInfo manifest, boolean directorMode)
            throws DiscoveryException {
        log.debug("Attempting to find scripts on " + label);
        boolean[] rootPresent = {false};
        Map<String, List<Script>> scriptsByJob = findScripts(label, shell, rootPresent);
        Map<String, JobMetadata> metadataByJob = new LinkedHashMap<>();
        for (Map.Entry<String, List<Script>> entry : scriptsByJob.entrySet()) {
            if (entry.getValue().contains(Script.METADATA)) {
                JobMetadata metadata = runMetadata(label, entry.getKey(), shell);
                logMetadata(entry.getKey(), metadata, directorMode);
                metadataByJob.put(entry.getKey(), metadata);
            }
        }
        List<Job> jobs = new ArrayList<>();
        List<String> disabled = new ArrayList<>();
        for (Map.Entry<String, List<Script>> entry : scriptsByJob.entrySet()) {
            String name = entry.getKey();
            JobMetadata metadata = metadataByJob.getOrDefault(name, JobMetadata.NONE);
            if (metadata.skipBbrScripts()) {
                disabled.add(name);
                continue;
            }
            entry.getValue().forEach(script -> log.info(label + "/" + name + "/" + script.fileName()));
            String release = manifest.releaseOf(group, name);
            if (release.isEmpty() && manifest != ManifestInfo.NONE) {
                log.warn("could not find release name for job " + name);
            }
            jobs.add(new Job(name, release, Set.copyOf(entry.getValue()), metadata,
                    manifest.backupOneRestoreAll(group, name)));
        }
        if (!disabled.isEmpty()) {
            log.debug("Found disabled jobs on instance " + label + " jobs: " + String.join(" ", disabled));
        }
        return new Found(jobs, rootPresent[0]);
    }

    /** bbr's lines about what a metadata script declared. */
    private void logMetadata(String job, JobMetadata metadata, boolean directorMode) {
        for (JobRef before : metadata.backupShouldBeLockedBefore()) {
            log.info("Detected order: " + job + " should be locked before " + qualified(before, directorMode)
                    + " during backup");
        }
        for (JobRef before : metadata.restoreShouldBeLockedBefore()) {
            log.info("Detected order: " + job + " should be locked before " + qualified(before, directorMode)
                    + " during restore");
        }
        if (metadata.backupName() != null) {
            log.warn("discontinued metadata keys backup_name/restore_name found in job " + job
                    + ". bbr will not be able to restore this backup artifact.");
        }
    }

    /** {@code release/job}; director mode matches by job name only, so bbr prints the job alone. */
    private static String qualified(JobRef ref, boolean directorMode) {
        return directorMode || ref.release() == null || ref.release().isEmpty() ? ref.jobName()
                : ref.release() + "/" + ref.jobName();
    }

    private Map<String, List<Script>> findScripts(String label, RemoteShell shell, boolean[] rootPresent)
            throws DiscoveryException {
        ExecResult result;
        try {
            result = shell.run(InstanceCommands.findScripts());
        } catch (RemoteException e) {
            throw new DiscoveryException("finding scripts failed on " + label + ": " + Failures.describe(e), e);
        }
        List<String> paths = new ArrayList<>();
        for (String path : result.stdoutText().split("\0")) {
            if (path.equals(InstanceCommands.ARTIFACT_ROOT_PRESENT)) {
                rootPresent[0] = true;
            } else if (!path.isEmpty()) {
                paths.add(path);
            }
        }
        // bbr's --debug lines for the discovery command, with every path found
        log.debug("[find files] stdout: " + String.join("\n", paths));
        log.debug("[find files] stderr: " + result.stderr());
        if (!result.succeeded()) {
            throw new DiscoveryException("finding scripts failed on " + label + ": " + result.failureText());
        }
        // sorted by job name so that runs are reproducible (bbr used a Go map: arbitrary order)
        Map<String, List<Script>> byJob = new TreeMap<>();
        for (String path : paths) {
            Matcher m = SCRIPT_PATH.matcher(path);
            if (!m.matches()) {
                continue;
            }
            String job = m.group(1);
            Script.byFileName(m.group(2)).ifPresent(script -> {
                if (!IGNORED_JOBS.contains(job)) {
                    List<Script> scripts = byJob.computeIfAbsent(job, j -> new ArrayList<>());
                    if (!scripts.contains(script)) {
                        scripts.add(script);
                    }
                }
            });
        }
        if (byJob.isEmpty()) {
            log.debug("No files found for pattern '/var/vcap/jobs/*/bin/bbr/*'");
        }
        return new LinkedHashMap<>(byJob);
    }

    private JobMetadata runMetadata(String label, String job, RemoteShell shell) throws DiscoveryException {
        String path = "/var/vcap/jobs/" + job + "/bin/bbr/metadata";
        log.debug("> " + path);
        ExecResult result;
        try {
            result = shell.run(InstanceCommands.runScript(path, Map.of("BBR_VERSION", bbrVersion)));
        } catch (RemoteException e) {
            throw new DiscoveryException("An error occurred while running metadata script for job " + job + " on "
                    + label + ": " + Failures.describe(e), e);
        }
        if (!result.succeeded()) {
            throw new DiscoveryException("An error occurred while running metadata script for job " + job + " on "
                    + label + ": " + result.failureText());
        }
        try {
            return MetadataParser.parse(result.stdoutText());
        } catch (IOException e) {
            throw new DiscoveryException("Parsing metadata from job " + job + " on " + label + " failed: "
                    + Failures.describe(e), e);
        }
    }
}
