package dev.bbr.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.bbr.core.errors.BbrError;
import dev.bbr.core.event.Event;
import dev.bbr.core.event.Level;
import dev.bbr.core.event.LogLine;
import dev.bbr.core.exec.Cancellation;
import dev.bbr.core.exec.LevelExecutor;
import dev.bbr.core.exec.Workers;
import dev.bbr.core.log.Log;
import dev.bbr.core.model.Deployment;
import dev.bbr.core.model.Instance;
import dev.bbr.core.model.Job;
import dev.bbr.core.remote.RemoteException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Turning the reached hosts into the deployment model. */
@Timeout(30)
class DeploymentDiscoveryTest {
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final Log log = events::add;

    private Deployment discover(List<HostInfo> hosts, boolean directorMode, int maxInFlight)
            throws DiscoveryException {
        LevelExecutor executor = new LevelExecutor(maxInFlight, new Cancellation(), Workers.daemonPool());
        return new DeploymentDiscovery(new JobFinder("1.0", log), executor, log).discover(access(hosts, directorMode));
    }

    private List<String> lines(Level level) {
        return events.stream().filter(e -> e instanceof LogLine l && l.level() == level).map(Event::text).toList();
    }

    @Test
    void instancesKeepTheDirectorsOrderAndThoseWithoutScriptsAreLeftOut() throws Exception {
        StubShell redis = new StubShell().job("redis", "backup");
        StubShell idle = new StubShell();
        StubShell web = new StubShell().job("web", "restore");

        Deployment deployment = discover(List.of(new HostInfo("redis", "0", "r-0", true, redis),
                new HostInfo("web", "1", "w-1", false, idle), new HostInfo("web", "0", "w-0", true, web)), false, 3);

        assertThat(deployment.name()).isEqualTo("dep");
        assertThat(deployment.instances()).extracting(Instance::identifier).containsExactly("redis/r-0", "web/w-0");
        Instance webInstance = deployment.instances().get(1);
        assertThat(webInstance.group()).isEqualTo("web");
        assertThat(webInstance.index()).isEqualTo("0");
        assertThat(webInstance.bootstrap()).isTrue();
        assertThat(webInstance.shell()).isSameAs(web);
        assertThat(webInstance.jobs()).extracting(Job::name).containsExactly("web");
        assertThat(lines(Level.INFO)).startsWith("Looking for scripts");
        assertThat(lines(Level.INFO)).contains("redis/r-0/redis/backup", "web/w-0/web/restore");
        assertThat(lines(Level.DEBUG)).contains("no scripts found on instance web/w-1");
    }

    @Test
    void everyInstancesFailureIsReportedInTheDirectorsOrder() {
        StubShell broken1 = new StubShell().findFails(1, "no sudo");
        StubShell fine = new StubShell().job("redis", "backup");
        StubShell broken2 = new StubShell().job("web", "metadata").metadataThrows(new RemoteException("reset"));

        assertThatThrownBy(() -> discover(List.of(new HostInfo("a", "0", "a-0", true, broken1),
                new HostInfo("redis", "0", "r-0", true, fine), new HostInfo("web", "0", "w-0", true, broken2)), false, 3))
                .isInstanceOf(DiscoveryException.class)
                .hasMessage("finding scripts failed on a/a-0: no sudo - exit code 1\n"
                        + "An error occurred while running metadata script for job web on web/w-0: reset");
    }

    @Test
    void instancesAreExaminedInParallel() throws Exception {
        CountDownLatch bothFinding = new CountDownLatch(2);
        Runnable meetTheOther = () -> {
            bothFinding.countDown();
            try {
                if (!bothFinding.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the other instance was not examined at the same time");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        StubShell redis = new StubShell().job("redis", "backup");
        StubShell web = new StubShell().job("web", "backup");
        redis.beforeFind = meetTheOther;
        web.beforeFind = meetTheOther;

        Deployment deployment = discover(List.of(new HostInfo("redis", "0", "r-0", true, redis),
                new HostInfo("web", "0", "w-0", true, web)), false, 2);

        assertThat(deployment.instances()).hasSize(2);
    }

    @Test
    void directorModeIsPassedToEveryInstancesJobFinder() throws Exception {
        StubShell bosh = new StubShell().job("director", "metadata", "backup").metadata("director",
                "backup_should_be_locked_before:\n- job_name: uaa\n  release: uaa-release\n");

        discover(List.of(new HostInfo("bosh", "0", "0", true, bosh)), true, 1);

        assertThat(lines(Level.INFO)).contains("Detected order: director should be locked before uaa during backup",
                "bosh/0/director/backup");
    }

    /**
     * A run cancelled before or while discovery runs: the executor skips the unstarted find tasks (as
     * it should), but {@code discover} then reads {@code jobsByHost.get(host)} for every host and calls
     * {@code isEmpty()} on null. Every workflow (backup, pre-backup-check, backup-cleanup, restore-cleanup
     * and a restore cancelled after its validation) then reports "unexpected error: Cannot invoke
     * "java.util.List.isEmpty()" because "jobs" is null" (exit 1) instead of ending as cancelled.
     */
    @Test
    void discoveryInACancelledRunDoesNotFailWithANullPointer() {
        Cancellation cancelled = new Cancellation();
        cancelled.cancel();
        LevelExecutor executor = new LevelExecutor(2, cancelled, Workers.daemonPool());
        DeploymentDiscovery discovery = new DeploymentDiscovery(new JobFinder("1.0", log), executor, log);
        List<HostInfo> hosts = List.of(new HostInfo("redis", "0", "r-0", true, new StubShell().job("redis", "backup")),
                new HostInfo("web", "0", "w-0", true, new StubShell().job("web", "backup")));

        Throwable thrown = catchThrowable(() -> discovery.discover(access(hosts, false)));

        if (thrown != null) {
            assertThat(thrown).as("a cancelled discovery may fail, but as a DiscoveryException")
                    .isInstanceOf(DiscoveryException.class);
        }
    }

    private static DeploymentAccess access(List<HostInfo> hosts, boolean directorMode) {
        return new DeploymentAccess() {
            @Override
            public String name() {
                return "dep";
            }

            @Override
            public List<HostInfo> hosts() {
                return hosts;
            }

            @Override
            public ManifestInfo manifest() {
                return ManifestInfo.NONE;
            }

            @Override
            public boolean directorMode() {
                return directorMode;
            }

            @Override
            public String downloadManifest() {
                return "";
            }

            @Override
            public List<BbrError> cleanup() {
                return List.of();
            }
        };
    }
}
