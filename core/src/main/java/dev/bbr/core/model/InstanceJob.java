package dev.bbr.core.model;

/** A job together with the instance it runs on: the unit that is locked, backed up and unlocked. */
public record InstanceJob(Instance instance, Job job) {
    @Override
    public String toString() {
        return job.name() + " on " + instance.identifier();
    }
}
