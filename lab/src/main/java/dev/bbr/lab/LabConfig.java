package dev.bbr.lab;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The lab file (YAML). Missing values fall back to defaults in the accessor-style helpers so a
 * lab file can stay short. See labs/default.yml for a documented example.
 */
public record LabConfig(Director director, Vm directorVm, Boolean jumpbox, String topology, List<Deployment> deployments) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    public static LabConfig parse(String yaml) {
        try {
            LabConfig c = YAML.readValue(yaml, LabConfig.class);
            c.validate();
            return c;
        } catch (IOException e) {
            throw new LabException("invalid lab file: " + e.getMessage(), e);
        }
    }

    public Director directorOrDefault() {
        return director == null ? new Director(null, null, null, null, null, null, null, null) : director;
    }

    public Vm directorVmOrNull() {
        return directorVm;
    }

    /** The private topology only makes sense with a jumpbox, so it forces one. */
    public boolean jumpboxEnabled() {
        return privateTopology() || jumpbox == null || jumpbox;
    }

    /** "loopback" (default) or "private" (see {@link Addresses}). */
    public boolean privateTopology() {
        return "private".equals(topology);
    }

    public List<Deployment> deploymentList() {
        return deployments == null ? List.of() : deployments;
    }

    private void validate() {
        require(topology == null || topology.equals("loopback") || topology.equals("private"), "topology " + topology);
        Set<String> names = new HashSet<>();
        for (Deployment d : deploymentList()) {
            require(d.name() != null && d.name().matches("[A-Za-z0-9_.-]+"), "deployment name " + d.name());
            require(names.add(d.name()), "duplicate deployment " + d.name());
            Set<String> groups = new HashSet<>();
            for (Group g : d.groups()) {
                require(g.name() != null && g.name().matches("[A-Za-z0-9_-]+"), "instance group name " + g.name());
                require(groups.add(g.name()), "duplicate instance group " + g.name());
                require(g.instanceCount() >= 0, "instances of " + g.name());
                g.jobList().forEach(LabConfig::validateJob);
            }
        }
        if (directorVm != null) {
            directorVm.jobList().forEach(LabConfig::validateJob);
        }
    }

    private static void validateJob(Job j) {
        require(j.name() != null && j.name().matches("[A-Za-z0-9_-]+"), "job name " + j.name());
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new LabException("invalid lab file: bad " + what);
        }
    }

    /** Director settings; auth is "basic" or "uaa". */
    public record Director(String name, String auth, String client, String clientSecret,
                           Integer tokenTtlSeconds, Integer taskQueuedPolls, Integer taskProcessingPolls,
                           String uuid) {
        public String nameOr() { return name == null ? "lab" : name; }
        public boolean uaa() { return "uaa".equalsIgnoreCase(auth); }
        public String clientOr() { return client == null ? "admin" : client; }
        public String secretOr() { return clientSecret == null ? "lab-admin-secret" : clientSecret; }
        public int tokenTtlOr() { return tokenTtlSeconds == null ? 600 : tokenTtlSeconds; }
        public int queuedPollsOr() { return taskQueuedPolls == null ? 1 : taskQueuedPolls; }
        public int processingPollsOr() { return taskProcessingPolls == null ? 0 : taskProcessingPolls; }
    }

    /** The standalone director VM used by `bbr director`. */
    public record Vm(String user, List<Job> jobs) {
        public String userOr() { return user == null ? "lab-director" : user; }
        public List<Job> jobList() { return jobs == null ? List.of() : jobs; }
    }

    public record Deployment(String name, List<Group> instanceGroups) {
        public List<Group> groups() { return instanceGroups == null ? List.of() : instanceGroups; }
    }

    public record Group(String name, Integer instances, Integer bootstrapIndex, List<String> azs, List<Job> jobs) {
        public int instanceCount() { return instances == null ? 1 : instances; }
        public int bootstrapOr() { return bootstrapIndex == null ? 0 : bootstrapIndex; }
        public String azFor(int index) {
            return azs == null || azs.isEmpty() ? "z1" : azs.get(index % azs.size());
        }
        public List<Job> jobList() { return jobs == null ? List.of() : jobs; }
    }

    /**
     * A job on an instance. {@code job} names the library job (defaults to {@code name}) so one
     * library job can be installed under several names (e.g. two "ordered" jobs).
     */
    public record Job(String name, String release, String job, Map<String, Object> params,
                      Map<String, Object> properties) {
        public String releaseOr() { return release == null ? "lab-release" : release; }
        public String libraryJob() { return job == null ? name : job; }
        public Map<String, Object> paramMap() { return params == null ? Map.of() : params; }
        public boolean backupOneRestoreAll() {
            if (properties == null || !(properties.get("bbr") instanceof Map<?, ?> bbr)) {
                return false;
            }
            return Objects.equals(bbr.get("backup_one_restore_all"), Boolean.TRUE);
        }
    }
}
