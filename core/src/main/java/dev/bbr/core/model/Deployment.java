package dev.bbr.core.model;

import java.util.ArrayList;
import java.util.List;

/** The instances of one deployment (or the one director VM) that bbr found scripts on. */
public record Deployment(String name, List<Instance> instances) {

    /** Every job of every instance, in instance order: the input to lock ordering. */
    public List<InstanceJob> allJobs() {
        List<InstanceJob> all = new ArrayList<>();
        for (Instance instance : instances) {
            for (Job job : instance.jobs()) {
                all.add(new InstanceJob(instance, job));
            }
        }
        return all;
    }

    public List<InstanceJob> jobsWith(Script script) {
        return allJobs().stream().filter(j -> j.job().has(script)).toList();
    }
}
