package dev.bbr.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bbr.core.event.Event;
import dev.bbr.core.event.Level;
import dev.bbr.core.event.LogLine;
import dev.bbr.core.log.Log;
import dev.bbr.core.model.Job;
import dev.bbr.core.model.JobRef;
import dev.bbr.core.model.Script;
import dev.bbr.core.remote.RemoteException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Finding one instance's jobs, and bbr's log lines about them. */
class JobFinderTest {
    private static final String LABEL = "redis/r-0";
    private static final String ORDERING = """
            backup_should_be_locked_before:
            - job_name: web
              release: web-release
            restore_should_be_locked_before:
            - job_name: db
              release: db-release
            - job_name: web
              release: web-release
            """;

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final Log log = events::add;
    private final JobFinder finder = new JobFinder("1.2.3", log);

    private List<String> lines(Level level) {
        return events.stream().filter(e -> e instanceof LogLine l && l.level() == level).map(Event::text).toList();
    }

    private List<Job> find(StubShell shell) throws DiscoveryException {
        return finder.find(LABEL, "redis", shell, ManifestInfo.NONE, false);
    }

    @Test
    void detectedOrderLinesNameReleaseAndJobInDeploymentMode() throws Exception {
        StubShell shell = new StubShell().job("redis", "backup", "metadata").metadata("redis", ORDERING);

        List<Job> jobs = finder.find(LABEL, "redis", shell, manifest("redis", "redis", "redis-release"), false);

        assertThat(lines(Level.INFO)).filteredOn(l -> l.startsWith("Detected order")).containsExactly(
                "Detected order: redis should be locked before web-release/web during backup",
                "Detected order: redis should be locked before db-release/db during restore",
                "Detected order: redis should be locked before web-release/web during restore");
        assertThat(jobs).singleElement().satisfies(job -> {
            assertThat(job.metadata().backupShouldBeLockedBefore()).containsExactly(new JobRef("web", "web-release"));
            assertThat(job.metadata().restoreShouldBeLockedBefore())
                    .containsExactly(new JobRef("db", "db-release"), new JobRef("web", "web-release"));
            assertThat(job.release()).isEqualTo("redis-release");
        });
    }

    @Test
    void detectedOrderLinesNameTheJobOnlyInDirectorMode() throws Exception {
        StubShell shell = new StubShell().job("redis", "metadata", "backup").metadata("redis", ORDERING);

        finder.find("bosh/0", "bosh", shell, ManifestInfo.NONE, true);

        assertThat(lines(Level.INFO)).filteredOn(l -> l.startsWith("Detected order")).containsExactly(
                "Detected order: redis should be locked before web during backup",
                "Detected order: redis should be locked before db during restore",
                "Detected order: redis should be locked before web during restore");
    }

    @Test
    void eachScriptOfAnEnabledJobIsLoggedAndDisabledJobsAreDroppedAtDebug() throws Exception {
        StubShell shell = new StubShell()
                .job("web", "backup", "metadata").metadata("web", "skip_bbr_scripts: true\n")
                .job("redis", "pre-backup-lock", "backup", "metadata")
                .job("admin", "metadata", "restore").metadata("admin", "skip_bbr_scripts: true");

        List<Job> jobs = find(shell);

        assertThat(jobs).extracting(Job::name).containsExactly("redis");
        assertThat(jobs.get(0).scripts()).containsExactlyInAnyOrder(Script.PRE_BACKUP_LOCK, Script.BACKUP,
                Script.METADATA);
        assertThat(lines(Level.INFO)).containsExactly("redis/r-0/redis/pre-backup-lock", "redis/r-0/redis/backup",
                "redis/r-0/redis/metadata");
        assertThat(lines(Level.DEBUG)).contains("Found disabled jobs on instance redis/r-0 jobs: admin web");
    }

    @Test
    void findFilesDebugLinesListEveryFullPath() throws Exception {
        StubShell shell = new StubShell().job("redis", "backup").path("/var/vcap/jobs/redis/bin/bbr/README")
                .job("web", "restore");

        find(shell);

        assertThat(lines(Level.DEBUG)).startsWith("Attempting to find scripts on redis/r-0",
                "[find files] stdout: /var/vcap/jobs/redis/bin/bbr/backup\n/var/vcap/jobs/redis/bin/bbr/README\n"
                        + "/var/vcap/jobs/web/bin/bbr/restore",
                "[find files] stderr: find: warning");
    }

    @Test
    void jobsAreSortedByNameAndTheirScriptsKeepFindsOrderWithoutDuplicates() throws Exception {
        StubShell shell = new StubShell().job("zookeeper", "restore").job("redis", "backup", "restore")
                .job("redis", "backup");

        List<Job> jobs = find(shell);

        assertThat(jobs).extracting(Job::name).containsExactly("redis", "zookeeper");
        assertThat(lines(Level.INFO)).containsExactly("redis/r-0/redis/backup", "redis/r-0/redis/restore",
                "redis/r-0/zookeeper/restore");
    }

    @Test
    void unknownScriptsNestedFilesAndLegacyMysqlJobsAreIgnored() throws Exception {
        StubShell shell = new StubShell()
                .job("mysql-backup", "backup", "metadata")
                .job("mysql-restore", "restore")
                .path("/var/vcap/jobs/redis/bin/bbr/README")
                .path("/var/vcap/jobs/redis/bin/bbr/helpers/backup")
                .path("/var/vcap/jobs/redis/bin/other/backup")
                .job("redis", "post-backup-unlock");

        List<Job> jobs = find(shell);

        assertThat(jobs).singleElement().satisfies(job -> {
            assertThat(job.name()).isEqualTo("redis");
            assertThat(job.scripts()).containsExactly(Script.POST_BACKUP_UNLOCK);
        });
        assertThat(shell.commands).noneMatch(c -> c.contains("mysql"));
        assertThat(lines(Level.INFO)).containsExactly("redis/r-0/redis/post-backup-unlock");
    }

    @Test
    void anInstanceWithoutScriptsHasNoJobs() throws Exception {
        assertThat(find(new StubShell())).isEmpty();
        assertThat(lines(Level.DEBUG)).contains("[find files] stdout: ",
                "No files found for pattern '/var/vcap/jobs/*/bin/bbr/*'");
        assertThat(lines(Level.INFO)).isEmpty();
    }

    @Test
    void theMetadataScriptRunsWithTheBbrVersionOnlyForJobsThatHaveOne() throws Exception {
        StubShell shell = new StubShell().job("redis", "backup", "metadata").job("web", "backup");

        List<Job> jobs = find(shell);

        assertThat(shell.commands).filteredOn(c -> c.contains("metadata")).containsExactly(
                "sudo -n env BBR_VERSION='1.2.3' '/var/vcap/jobs/redis/bin/bbr/metadata'");
        assertThat(lines(Level.DEBUG)).contains("> /var/vcap/jobs/redis/bin/bbr/metadata");
        assertThat(jobs).extracting(j -> j.metadata().skipBbrScripts()).containsExactly(false, false);
    }

    @Test
    void aFailingMetadataScriptFailsDiscoveryWithBbrsMessage() {
        StubShell shell = new StubShell().job("redis", "metadata", "backup")
                .metadataFails("redis", 2, "  cannot render metadata\n");

        assertThatThrownBy(() -> find(shell)).isInstanceOf(DiscoveryException.class).hasMessage(
                "An error occurred while running metadata script for job redis on redis/r-0: cannot render metadata"
                        + " - exit code 2");
    }

    @Test
    void aMetadataScriptWhoseConnectionDropsFailsDiscovery() {
        StubShell shell = new StubShell().job("redis", "metadata")
                .metadataThrows(new RemoteException("ssh session ended before returning an exit code"));

        assertThatThrownBy(() -> find(shell)).isInstanceOf(DiscoveryException.class).hasMessage(
                "An error occurred while running metadata script for job redis on redis/r-0: ssh session ended"
                        + " before returning an exit code");
    }

    @Test
    void unparsableMetadataFailsDiscoveryWithBbrsMessage() {
        assertThatThrownBy(() -> find(new StubShell().job("redis", "metadata").metadata("redis", "- a\n- b\n")))
                .isInstanceOf(DiscoveryException.class).hasMessage("Parsing metadata from job redis on redis/r-0"
                        + " failed: failed to unmarshal job metadata: expected a mapping, got ARRAY");
        assertThatThrownBy(() -> find(new StubShell().job("redis", "metadata").metadata("redis",
                "backup_should_be_locked_before:\n- job_name: web\n"))).hasMessage("Parsing metadata from job redis"
                + " on redis/r-0 failed: both job name and release should be specified for should be locked before");
        assertThatThrownBy(() -> find(new StubShell().job("redis", "metadata").metadata("redis", "a: [unclosed")))
                .hasMessageStartingWith("Parsing metadata from job redis on redis/r-0 failed: ");
    }

    @Test
    void discontinuedBackupNameIsWarnedAbout() throws Exception {
        StubShell shell = new StubShell().job("redis", "metadata", "backup").metadata("redis", "backup_name: foo\n");

        List<Job> jobs = find(shell);

        assertThat(lines(Level.WARN)).containsExactly("discontinued metadata keys backup_name/restore_name found in"
                + " job redis. bbr will not be able to restore this backup artifact.");
        assertThat(jobs.get(0).metadata().backupName()).isEqualTo("foo");
    }

    @Test
    void aJobWhoseReleaseTheManifestDoesNotNameIsWarnedAboutOnlyWhenThereIsAManifest() throws Exception {
        StubShell shell = new StubShell().job("redis", "backup").job("sidecar", "backup");
        ManifestInfo manifest = manifest("redis", "redis", "redis-release");

        List<Job> jobs = finder.find(LABEL, "redis", shell, manifest, false);

        assertThat(lines(Level.WARN)).containsExactly("could not find release name for job sidecar");
        assertThat(jobs).extracting(Job::release).containsExactly("redis-release", "");

        events.clear();
        finder.find(LABEL, "redis", shell, ManifestInfo.NONE, true);
        assertThat(lines(Level.WARN)).isEmpty();
    }

    @Test
    void backupOneRestoreAllComesFromTheManifest() throws Exception {
        ManifestInfo manifest = ManifestQuerier.parse("dep", """
                instance_groups:
                - name: redis
                  jobs:
                  - name: redis
                    release: redis-release
                    properties:
                      bbr:
                        backup_one_restore_all: true
                  - name: other
                    release: other-release
                """);

        List<Job> jobs = finder.find(LABEL, "redis", new StubShell().job("redis", "backup").job("other", "backup"),
                manifest, false);

        assertThat(jobs).extracting(Job::name, Job::backupOneRestoreAll)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("other", false),
                        org.assertj.core.groups.Tuple.tuple("redis", true));
        assertThat(jobs.get(1).customArtifactName()).isEqualTo("redis-redis-release-backup-one-restore-all");
    }

    @Test
    void aFailingOrBrokenFindFailsDiscovery() {
        assertThatThrownBy(() -> find(new StubShell().findFails(1, "sudo: a password is required\n")))
                .isInstanceOf(DiscoveryException.class)
                .hasMessage("finding scripts failed on redis/r-0: sudo: a password is required - exit code 1");
        assertThatThrownBy(() -> find(new StubShell().findThrows(new RemoteException("connection reset"))))
                .isInstanceOf(DiscoveryException.class)
                .hasMessage("finding scripts failed on redis/r-0: connection reset");
    }

    private static ManifestInfo manifest(String group, String job, String release) throws DiscoveryException {
        return ManifestQuerier.parse("dep", "instance_groups:\n- name: " + group + "\n  jobs:\n  - name: " + job
                + "\n    release: " + release + "\n");
    }
}
