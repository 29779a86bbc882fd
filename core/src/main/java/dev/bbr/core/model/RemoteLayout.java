package dev.bbr.core.model;

/** Fixed paths on every instance, as bbr defines them. */
public final class RemoteLayout {
    public static final String ARTIFACT_ROOT = "/var/vcap/store/bbr-backup";

    private RemoteLayout() {}
}
