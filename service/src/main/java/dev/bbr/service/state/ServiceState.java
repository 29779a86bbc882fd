package dev.bbr.service.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.bbr.service.job.JobRun;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the service remembers across restarts, in {@code <state_dir>/service-state.json}: each job's
 * last occurrence that was dealt with (run, skipped or missed: what "downtime" is measured from) and
 * its recent runs (the history the API shows and the digest sums up). Written whole, atomically, after
 * every change; a damaged file is set aside and the service starts afresh.
 */
public final class ServiceState {
    static final int HISTORY_PER_JOB = 50;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path file;
    private final Map<String, JobState> jobs = new LinkedHashMap<>();

    private ServiceState(Path file) {
        this.file = file;
    }

    record JobState(@JsonProperty("last_occurrence") String lastOccurrence,
            @JsonProperty("history") List<JobRun> history) {
        JobState {
            history = history == null ? new ArrayList<>() : new ArrayList<>(history);
        }
    }

    record Document(@JsonProperty("jobs") Map<String, JobState> jobs) {}

    /** Reads the state, or starts empty (the directory is created). */
    public static ServiceState open(Path stateDir) throws IOException {
        Files.createDirectories(stateDir);
        ServiceState state = new ServiceState(stateDir.resolve("service-state.json"));
        if (Files.exists(state.file)) {
            try {
                Document doc = JSON.readValue(state.file.toFile(), Document.class);
                if (doc != null && doc.jobs() != null) {
                    state.jobs.putAll(doc.jobs());
                }
            } catch (IOException e) {
                Files.move(state.file, state.file.resolveSibling(state.file.getFileName() + ".damaged"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return state;
    }

    public synchronized Optional<Instant> lastOccurrence(String job) {
        JobState s = jobs.get(job);
        return s == null || s.lastOccurrence() == null ? Optional.empty() : Optional.of(Instant.parse(s.lastOccurrence()));
    }

    public synchronized void occurrenceHandled(String job, Instant occurrence) throws IOException {
        JobState s = jobs.get(job);
        jobs.put(job, new JobState(occurrence.toString(), s == null ? List.of() : s.history()));
        save();
    }

    public synchronized void record(JobRun run) throws IOException {
        JobState s = jobs.getOrDefault(run.job(), new JobState(null, List.of()));
        List<JobRun> history = new ArrayList<>(s.history());
        history.add(run);
        if (history.size() > HISTORY_PER_JOB) {
            history = new ArrayList<>(history.subList(history.size() - HISTORY_PER_JOB, history.size()));
        }
        jobs.put(run.job(), new JobState(s.lastOccurrence(), history));
        save();
    }

    /** A job's recent runs, oldest first. */
    public synchronized List<JobRun> history(String job) {
        JobState s = jobs.get(job);
        return s == null ? List.of() : List.copyOf(s.history());
    }

    private void save() throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(temporary.toFile(), new Document(jobs));
        try {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
