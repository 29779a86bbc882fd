package dev.bbr.lab;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Fault knobs, shared by the Java API and the admin endpoint (POST /_lab/faults). Everything is
 * off by default; {@link #clear()} restores that.
 */
public final class Faults {
    /** How a matching HTTP request misbehaves. */
    public enum HttpAction { STATUS, STALL, DROP }

    /** A rule: requests whose method and path (no query) match get the action, {@code remaining} times (-1 = forever). */
    public static final class HttpRule {
        final String method;
        final Pattern path;
        final HttpAction action;
        final int status;
        final long stallMillis;
        final AtomicInteger remaining;
        /** Matching requests let through untouched before the rule applies. */
        final AtomicInteger skip;

        HttpRule(String method, String pathRegex, HttpAction action, int status, long stallMillis, int times) {
            this(method, pathRegex, action, status, stallMillis, 0, times);
        }

        HttpRule(String method, String pathRegex, HttpAction action, int status, long stallMillis, int skip,
                int times) {
            this.skip = new AtomicInteger(skip);
            this.method = method == null ? null : method.toUpperCase();
            this.path = Pattern.compile(pathRegex);
            this.action = action;
            this.status = status;
            this.stallMillis = stallMillis;
            this.remaining = new AtomicInteger(times);
        }

        public HttpAction action() { return action; }
        public int status() { return status; }
        public long stallMillis() { return stallMillis; }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("method", method);
            m.put("path", path.pattern());
            m.put("action", action.name().toLowerCase());
            m.put("status", status);
            m.put("stall_millis", stallMillis);
            m.put("skip", skip.get());
            m.put("times", remaining.get());
            return m;
        }
    }

    private final List<HttpRule> httpRules = new CopyOnWriteArrayList<>();
    private final Set<String> sshSetupFailures = ConcurrentHashMap.newKeySet();
    private final Set<String> foreignHostKeys = ConcurrentHashMap.newKeySet();
    private volatile int taskQueuedPolls;
    private volatile int taskProcessingPolls;
    private final int defaultQueuedPolls;
    private final int defaultProcessingPolls;
    private final Map<String, String> nextTaskFailures = new ConcurrentHashMap<>();
    private final LongConsumer tokenTtlSetter;
    private final LongSupplier tokenTtlGetter;
    private final long defaultTokenTtl;
    private final Consumer<String> sshdKiller;
    private final Consumer<String> netemApplier;
    private volatile String netem = "off";

    Faults(int queuedPolls, int processingPolls, LongConsumer tokenTtlSetter, LongSupplier tokenTtlGetter,
           Consumer<String> sshdKiller, Consumer<String> netemApplier) {
        this.defaultQueuedPolls = queuedPolls;
        this.defaultProcessingPolls = processingPolls;
        this.taskQueuedPolls = queuedPolls;
        this.taskProcessingPolls = processingPolls;
        this.tokenTtlSetter = tokenTtlSetter;
        this.tokenTtlGetter = tokenTtlGetter;
        this.defaultTokenTtl = tokenTtlGetter.getAsLong();
        this.sshdKiller = sshdKiller;
        this.netemApplier = spec -> {
            netemApplier.accept(spec);
            netem = spec;
        };
    }

    /** Answer {@code status} (plain-text body) instead of handling the request. */
    public Faults httpStatus(String method, String pathRegex, int status, int times) {
        httpRules.add(new HttpRule(method, pathRegex, HttpAction.STATUS, status, 0, times));
        return this;
    }

    /** As {@link #httpStatus}, after letting the first {@code skip} matching requests through. */
    public Faults httpStatusAfter(String method, String pathRegex, int status, int skip, int times) {
        httpRules.add(new HttpRule(method, pathRegex, HttpAction.STATUS, status, 0, skip, times));
        return this;
    }

    /** Delay the response by {@code delay}, then answer normally. */
    public Faults httpStall(String method, String pathRegex, Duration delay, int times) {
        httpRules.add(new HttpRule(method, pathRegex, HttpAction.STALL, 0, delay.toMillis(), times));
        return this;
    }

    /** Close the TCP connection without any HTTP response. */
    public Faults httpDrop(String method, String pathRegex, int times) {
        httpRules.add(new HttpRule(method, pathRegex, HttpAction.DROP, 0, 0, times));
        return this;
    }

    /** The ssh setup task fails (agent error 450001) when it reaches this instance. */
    public Faults failSshSetup(String deployment, String group, int index) {
        sshSetupFailures.add(deployment + "/" + group + "/" + index);
        return this;
    }

    /**
     * The ssh setup task reports a host key for this instance that is not the one its sshd presents,
     * as when a VM was recreated after the Director recorded its key.
     */
    public Faults foreignHostKey(String deployment, String group, int index) {
        foreignHostKeys.add(deployment + "/" + group + "/" + index);
        return this;
    }

    /** The next task of this type ("vms", "ssh") ends in state error with the message. */
    public Faults failNextTask(String type, String message) {
        nextTaskFailures.put(type, message);
        return this;
    }

    /** Lifetime of UAA tokens issued from now on. */
    public Faults tokenTtl(Duration ttl) {
        tokenTtlSetter.accept(ttl.toSeconds());
        return this;
    }

    /** How many polls a task stays queued, then processing, before reaching its terminal state. */
    public Faults taskPolls(int queued, int processing) {
        this.taskQueuedPolls = queued;
        this.taskProcessingPolls = processing;
        return this;
    }

    /** Kill the sshd of an instance ("deployment/group/index", or "director-vm" / "jumpbox"). */
    public Faults killSshd(String instance) {
        sshdKiller.accept(instance);
        return this;
    }

    /**
     * Network emulation (tc netem) on the private topology's veth, i.e. on all traffic between the
     * host (CLI) and the jumpbox; "off" removes it. Throws UnsupportedOperationException with the
     * reason on the loopback topology or when the kernel has no sch_netem (this CI VM).
     */
    public Faults netem(String spec) {
        netemApplier.accept(spec);
        return this;
    }

    public void clear() {
        httpRules.clear();
        sshSetupFailures.clear();
        foreignHostKeys.clear();
        nextTaskFailures.clear();
        taskQueuedPolls = defaultQueuedPolls;
        taskProcessingPolls = defaultProcessingPolls;
        tokenTtlSetter.accept(defaultTokenTtl);
        if (!"off".equals(netem)) {
            netem("off");
        }
    }

    // ---- used by the simulator ----

    /** The first rule matching this request that still has uses left (and uses it up once), or null. */
    public HttpRule takeHttpRule(String method, String path) {
        for (HttpRule r : httpRules) {
            if ((r.method == null || r.method.equalsIgnoreCase(method)) && r.path.matcher(path).matches()) {
                if (r.skip.getAndUpdate(n -> n > 0 ? n - 1 : n) > 0) {
                    continue;
                }
                int left = r.remaining.getAndUpdate(n -> n > 0 ? n - 1 : n);
                if (left != 0) {
                    return r;
                }
            }
        }
        return null;
    }

    public boolean sshSetupFails(String instanceName) {
        return sshSetupFailures.contains(instanceName);
    }

    /** The host key the Director reports for an instance: its own, unless {@link #foreignHostKey} said otherwise. */
    public String reportedHostKey(String instanceName, String actual) {
        return foreignHostKeys.contains(instanceName) ? dev.bbr.lab.director.ForeignHostKey.line() : actual;
    }

    public String takeTaskFailure(String type) {
        return nextTaskFailures.remove(type);
    }

    public int taskQueuedPolls() {
        return taskQueuedPolls;
    }

    public int taskProcessingPolls() {
        return taskProcessingPolls;
    }

    /** Applies the admin endpoint's JSON (see README section "Faults"). */
    public void apply(JsonNode j) {
        if (j.path("clear").asBoolean(false)) {
            clear();
        }
        for (JsonNode r : j.path("http")) {
            HttpAction a = HttpAction.valueOf(r.path("action").asText("status").toUpperCase());
            String method = r.hasNonNull("method") ? r.get("method").asText() : null;
            httpRules.add(new HttpRule(method, r.path("path").asText(".*"), a, r.path("status").asInt(500),
                    r.path("stall_millis").asLong(0), r.path("skip").asInt(0), r.path("times").asInt(1)));
        }
        for (JsonNode s : j.path("ssh_setup_failures")) {
            sshSetupFailures.add(s.asText());
        }
        for (JsonNode s : j.path("foreign_host_keys")) {
            foreignHostKeys.add(s.asText());
        }
        if (j.hasNonNull("token_ttl_seconds")) {
            tokenTtlSetter.accept(j.get("token_ttl_seconds").asLong());
        }
        if (j.hasNonNull("task_queued_polls") || j.hasNonNull("task_processing_polls")) {
            taskPolls(j.path("task_queued_polls").asInt(taskQueuedPolls), j.path("task_processing_polls").asInt(taskProcessingPolls));
        }
        JsonNode ft = j.path("fail_next_task");
        if (ft.isObject()) {
            failNextTask(ft.path("type").asText(), ft.path("message").asText("lab fault"));
        }
        for (JsonNode k : j.path("kill_sshd")) {
            killSshd(k.asText());
        }
        if (j.hasNonNull("netem")) {
            netem(j.get("netem").asText());
        }
    }

    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> rules = new ArrayList<>();
        httpRules.forEach(r -> rules.add(r.json()));
        m.put("http", rules);
        m.put("ssh_setup_failures", List.copyOf(sshSetupFailures));
        m.put("foreign_host_keys", List.copyOf(foreignHostKeys));
        m.put("token_ttl_seconds", tokenTtlGetter.getAsLong());
        m.put("task_queued_polls", taskQueuedPolls);
        m.put("task_processing_polls", taskProcessingPolls);
        m.put("fail_next_task", Map.copyOf(nextTaskFailures));
        m.put("netem", netem);
        return m;
    }
}
