package dev.bbr.lab.director;

/** The Director's bookkeeping for one instance (what `vms` reports and `ssh` targets). */
public record DirectorInstance(String deployment, String group, int index, String id, String ip, String az,
                               boolean bootstrap, String agentId, String vmCid) {

    public String name() {
        return deployment + "/" + group + "/" + index;
    }
}
