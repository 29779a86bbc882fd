package dev.bbr.lab;

import java.util.List;
import java.util.UUID;

/** Everything needed to build one VM. */
record VmSpec(String deployment, String group, int index, String ip, String az, boolean bootstrap,
              List<LabConfig.Job> jobs) {

    String name() {
        return deployment + "/" + group + "/" + index;
    }

    /** Stable per name, so ids are the same on every lab start (easier to read logs). */
    String id() {
        return UUID.nameUUIDFromBytes(("bbr-lab/" + name()).getBytes()).toString();
    }

    String dirName() {
        return name().replace('/', '.');
    }
}
