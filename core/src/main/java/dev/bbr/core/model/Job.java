package dev.bbr.core.model;

import java.util.Set;

/**
 * One job on one instance that ships bbr scripts.
 *
 * @param name                job name
 * @param release             release name from the manifest ("" when unknown or in director mode)
 * @param scripts             which bbr scripts exist
 * @param metadata            what its metadata script printed
 * @param backupOneRestoreAll {@code properties.bbr.backup_one_restore_all} from the manifest
 */
public record Job(String name, String release, Set<Script> scripts, JobMetadata metadata,
        boolean backupOneRestoreAll) {

    public boolean has(Script script) {
        return scripts.contains(script);
    }

    public String scriptPath(Script script) {
        return "/var/vcap/jobs/" + name + "/bin/bbr/" + script.fileName();
    }

    /** The name of the custom artifact a backup_one_restore_all job writes on its bootstrap instance. */
    public String customArtifactName() {
        return name + "-" + release + "-backup-one-restore-all";
    }
}
