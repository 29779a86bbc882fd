package dev.bbr.artifacts.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;

/**
 * The rules every store's run lock applies to the holder recorded in its lock file (run id, pid,
 * host, start and refresh times), so that a local directory and a remote root refuse, describe and
 * take over a lock in the same words.
 */
public final class RunLockHolder {
    private RunLockHolder() {}

    /** Why a holder may be replaced, or null when it is alive and fresh. */
    public static String staleOrDead(JsonNode holder, Duration staleAfter, Clock clock) {
        String host = holder.path("host").asText("");
        long pid = holder.path("pid").asLong(-1);
        if (host.equals(RunLock.Hosts.name())
                && (pid <= 0 || ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true))) {
            return "its process is gone";
        }
        try {
            Instant refreshed = Instant.parse(holder.path("refreshed_at").asText());
            if (refreshed.plus(staleAfter).isBefore(clock.instant())) {
                return "not refreshed since " + refreshed + " (stale after " + staleAfter.toMinutes() + " min)";
            }
        } catch (DateTimeException e) {
            return "its lock file is unreadable";
        }
        return null;
    }

    /** {@code run R (pid P on H, since T)}. */
    public static String describe(JsonNode holder) {
        return "run " + holder.path("run_id").asText("?") + " (pid " + holder.path("pid").asText("?") + " on "
                + holder.path("host").asText("?") + ", since " + holder.path("started_at").asText("?") + ")";
    }

    /** The refusal of a second backup of {@code deployment} into {@code location} (exit code 32). */
    public static StoreException locked(String location, String deployment, JsonNode holder) {
        return new StoreException(StoreException.Reason.LOCKED, "another backup of " + deployment
                + " is running into " + location + ": " + describe(holder) + "; wait for it to finish, or if"
                + " it died, run `bbr artifacts unlock " + location + " --deployment " + deployment + "`");
    }
}
