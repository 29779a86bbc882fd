package dev.bbr.core.model;

import java.util.List;

/**
 * What a job's {@code metadata} script printed.
 *
 * @param backupName  discontinued key; bbr warns during backup and refuses to restore
 * @param restoreName discontinued key; restore refuses
 */
public record JobMetadata(List<JobRef> backupShouldBeLockedBefore, List<JobRef> restoreShouldBeLockedBefore,
        boolean skipBbrScripts, String backupName, String restoreName) {

    public static final JobMetadata NONE = new JobMetadata(List.of(), List.of(), false, null, null);
}
