package dev.bbr.core.model;

/** Fixed paths on every instance, as bbr defines them. */
public final class RemoteLayout {
    public static final String ARTIFACT_ROOT = "/var/vcap/store/bbr-backup";
    public static final String SCRIPT_GLOB = "/var/vcap/jobs/*/bin/bbr/*";

    private RemoteLayout() {}
}
