package dev.bbr.lab.director;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the vms/instances JSON shapes of the Director's vms and instances endpoints (lab/README.md). */
final class VmInfo {
    private VmInfo() {
    }

    static Map<String, Object> full(DirectorInstance i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vm_cid", i.vmCid());
        m.put("active", true);
        m.put("vm_created_at", "2026-08-01T10:00:00Z");
        m.put("cloud_properties", Map.of());
        m.put("disk_cid", "disk-" + i.id().substring(0, 8));
        m.put("disk_cids", List.of("disk-" + i.id().substring(0, 8)));
        m.put("ips", List.of(i.ip()));
        m.put("agent_id", i.agentId());
        m.put("job_name", i.group());
        m.put("index", i.index());
        m.put("job_state", "running");
        m.put("state", "started");
        m.put("vm_type", "default");
        m.put("vitals", null);
        m.put("processes", List.of());
        m.put("az", i.az());
        m.put("id", i.id());
        m.put("bootstrap", i.bootstrap());
        m.put("ignore", false);
        m.put("stemcell", Map.of("name", "bosh-lab-ubuntu-jammy-go_agent", "version", "1.404", "api_version", 3));
        return m;
    }

    static List<Map<String, Object>> shortList(DirectorDeployment d, boolean vms) {
        return d.instances().stream().map(i -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("agent_id", i.agentId());
            m.put("cid", i.vmCid());
            m.put("job", i.group());
            m.put("index", i.index());
            m.put("id", i.id());
            m.put("az", i.az());
            m.put("ips", List.of(i.ip()));
            m.put("vm_created_at", "2026-08-01T10:00:00Z");
            if (vms) {
                m.put("active", true);
                m.put("permanent_nats_credentials", false);
            } else {
                m.put("expects_vm", true);
            }
            return m;
        }).toList();
    }
}
