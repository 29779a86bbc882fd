package dev.bbr.core.model;

/** A job named by a metadata ordering constraint: job name and release. */
public record JobRef(String jobName, String release) {}
