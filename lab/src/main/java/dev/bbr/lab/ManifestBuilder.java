package dev.bbr.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Renders a BOSH v2 manifest for a lab deployment (what GET /deployments/NAME returns). */
final class ManifestBuilder {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            // "1.404" must stay a string, not become a YAML float
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

    private ManifestBuilder() {
    }

    static List<String> releases(LabConfig.Deployment d) {
        Set<String> r = new LinkedHashSet<>();
        d.groups().forEach(g -> g.jobList().forEach(j -> r.add(j.releaseOr())));
        return new ArrayList<>(r);
    }

    /** Map.of has random iteration order; manifests read better with a stable key order. */
    static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static String build(LabConfig.Deployment d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", d.name());
        m.put("releases", releases(d).stream().map(r -> ordered("name", r, "version", "1.0.0")).toList());
        m.put("stemcells", List.of(ordered("alias", "default", "os", "ubuntu-jammy", "version", "1.404")));
        m.put("update", ordered("canaries", 1, "max_in_flight", 1, "canary_watch_time", "1000-30000",
                "update_watch_time", "1000-30000"));
        List<Object> groups = new ArrayList<>();
        for (LabConfig.Group g : d.groups()) {
            Map<String, Object> gm = new LinkedHashMap<>();
            gm.put("name", g.name());
            gm.put("instances", g.instanceCount());
            gm.put("azs", g.azs() == null ? List.of("z1") : g.azs());
            List<Object> jobs = new ArrayList<>();
            for (LabConfig.Job j : g.jobList()) {
                Map<String, Object> jm = new LinkedHashMap<>();
                jm.put("name", j.name());
                jm.put("release", j.releaseOr());
                if (j.properties() != null) {
                    jm.put("properties", j.properties());
                }
                jobs.add(jm);
            }
            gm.put("jobs", jobs);
            gm.put("vm_type", "default");
            gm.put("stemcell", "default");
            gm.put("networks", List.of(Map.of("name", "default")));
            groups.add(gm);
        }
        m.put("instance_groups", groups);
        try {
            return YAML.writeValueAsString(m);
        } catch (Exception e) {
            throw new LabException("cannot render manifest for " + d.name(), e);
        }
    }
}
