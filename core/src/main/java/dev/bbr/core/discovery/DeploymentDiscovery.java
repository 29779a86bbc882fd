package dev.bbr.core.discovery;

import dev.bbr.core.errors.BbrError;
import dev.bbr.core.errors.ErrorKind;
import dev.bbr.core.exec.LevelExecutor;
import dev.bbr.core.log.Log;
import dev.bbr.core.model.Deployment;
import dev.bbr.core.model.Instance;
import dev.bbr.core.model.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns the reached hosts into the deployment model: finds every instance's jobs, in parallel.
 * Unlike bbr, a scriptless instance does not make the rest of its group be skipped: every
 * instance is examined.
 */
public final class DeploymentDiscovery {
    private final JobFinder jobFinder;
    private final LevelExecutor executor;
    private final Log log;

    public DeploymentDiscovery(JobFinder jobFinder, LevelExecutor executor, Log log) {
        this.jobFinder = jobFinder;
        this.executor = executor;
        this.log = log;
    }

    public Deployment discover(DeploymentAccess access) throws DiscoveryException {
        log.info("Looking for scripts");
        Map<HostInfo, JobFinder.Found> jobsByHost = new ConcurrentHashMap<>();
        List<LevelExecutor.Task> tasks = new ArrayList<>();
        for (HostInfo host : access.hosts()) {
            tasks.add(() -> {
                try {
                    jobsByHost.put(host, jobFinder.examine(host.group() + "/" + host.id(), host.group(), host.shell(),
                            access.manifest(), access.directorMode()));
                    return List.of();
                } catch (DiscoveryException e) {
                    return List.of(BbrError.of(ErrorKind.GENERAL, e.getMessage(), e));
                }
            });
        }
        List<BbrError> errors = executor.runLevel(tasks);
        if (!errors.isEmpty()) {
            throw new DiscoveryException(String.join("\n", errors.stream().map(BbrError::message).toList()));
        }
        List<Instance> instances = new ArrayList<>();
        for (HostInfo host : access.hosts()) {
            JobFinder.Found found = jobsByHost.get(host);
            if (found == null) {
                continue; // not examined: the run was cancelled before its turn, and ends without it
            }
            List<Job> jobs = found.jobs();
            if (jobs.isEmpty()) {
                log.debug("no scripts found on instance " + host.group() + "/" + host.id());
                continue;
            }
            instances.add(new Instance(host.group(), host.index(), host.id(), host.bootstrap(), jobs, host.shell(),
                    found.artifactRootPresent()));
        }
        return new Deployment(access.name(), instances);
    }
}
