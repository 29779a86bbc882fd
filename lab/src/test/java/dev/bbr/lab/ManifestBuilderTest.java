package dev.bbr.lab;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Lab file parsing and manifest rendering (no root needed). */
class ManifestBuilderTest {
    @Test
    void rendersV2ManifestWithReleasesAndBackupOneRestoreAll() {
        LabConfig c = LabConfig.parse("deployments:\n- name: dep\n  instance_groups:\n  - name: g\n    instances: 2\n"
                + "    jobs:\n    - name: j\n      release: r1\n      properties: {bbr: {backup_one_restore_all: true}}\n"
                + "    - name: k\n      job: ordered\n");
        String m = ManifestBuilder.build(c.deploymentList().get(0));
        assertThat(m).startsWith("---\nname: dep\n")
                .contains("version: \"1.404\"")
                .contains("- name: j\n    release: r1\n    properties:\n      bbr:\n        backup_one_restore_all: true")
                .contains("- name: k\n    release: lab-release");
        assertThat(c.deploymentList().get(0).groups().get(0).jobList().get(0).backupOneRestoreAll()).isTrue();
        assertThat(c.deploymentList().get(0).groups().get(0).jobList().get(1).libraryJob()).isEqualTo("ordered");
    }

    @Test
    void rejectsUnknownKeysAndBadNames() {
        assertThatThrownBy(() -> LabConfig.parse("deployment: []")).isInstanceOf(LabException.class);
        assertThatThrownBy(() -> LabConfig.parse("deployments:\n- name: 'a b'\n")).hasMessageContaining("deployment name");
    }

    @Test
    void shippedLabFilesParse() throws Exception {
        for (String f : new String[]{"default", "redis", "uaa", "ten"}) {
            try (var in = getClass().getClassLoader().getResourceAsStream("labs/" + f + ".yml")) {
                assertThat(LabConfig.parse(new String(in.readAllBytes())).deploymentList()).isNotEmpty();
            }
        }
    }
}
