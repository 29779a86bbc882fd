package dev.bbr.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.lab.Lab;
import dev.bbr.lab.junit.LabExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 item 12: bbr driven in a real terminal (tmux), its screen read with {@code capture-pane}
 * while two 320 MiB artifacts drain in parallel: one live line per artifact, each ending at 100 %,
 * never mixed into the log lines, and hidden while the Ctrl-C question waits for its answer.
 */
class TerminalProgressE2ETest {
    private static final Pattern BAR = Pattern.compile("data on db/\\S+ +\\d+%");
    private static final String QUESTION = "Stopping a backup can leave the system in bad state. Are you sure you want"
            + " to cancel? [yes/no]";

    @RegisterExtension
    static LabExtension lab = LabExtension.fromResource("labs/progress.yml");

    @TempDir
    Path tmp;

    private final String session = "bbr-progress-" + ProcessHandle.current().pid();
    private final List<List<String>> screens = new CopyOnWriteArrayList<>();

    @BeforeEach
    void requireTmux() throws Exception {
        if (!commandExists("tmux")) {
            String reason = "tmux is not installed (scripts/install-prerequisites installs it)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(reason + " - failing because CI=true");
            }
            Assumptions.abort(reason);
        }
    }

    @AfterEach
    void killSession() throws Exception {
        run("tmux", "kill-session", "-t", session);
    }

    @Test
    void eachArtifactHasItsOwnLiveLineEndingAt100PercentAndTheQuestionPausesThem() throws Exception {
        Lab l = lab.get();
        Path script = writeRunScript(l);
        run("tmux", "new-session", "-d", "-s", session, "-x", "200", "-y", "50", "bash --noprofile --norc");
        run("tmux", "send-keys", "-t", session, "bash " + script, "Enter");

        // two bars at once, on their own lines at the bottom of the screen
        List<String> twoBars = awaitScreen("two live bars", 120, s -> bars(s).size() == 2);
        List<String> nonEmpty = nonEmpty(twoBars);
        assertThat(nonEmpty.subList(nonEmpty.size() - 2, nonEmpty.size())).allMatch(line -> BAR.matcher(line).find());

        // Ctrl-C: the question is the last thing on screen and no bar is drawn while it waits
        run("tmux", "send-keys", "-t", session, "C-c");
        List<String> asking = awaitScreen("the question", 30, s -> s.stream().anyMatch(line -> line.contains(QUESTION)));
        assertThat(nonEmpty(asking)).last().asString().contains(QUESTION);
        assertThat(bars(asking)).as("bars while the question waits").isEmpty();
        run("tmux", "send-keys", "-t", session, "no", "Enter");

        List<String> done = awaitScreen("the end of the run", 180, s -> s.stream().anyMatch(line -> line.startsWith("EXIT=")));
        List<String> history = capture(true);
        assertThat(done).anyMatch(line -> line.equals("EXIT=0"));

        // every screen seen: a bar and a log line never share a line
        for (List<String> screen : screens) {
            for (String line : screen) {
                if (line.contains("[bbr]")) {
                    assertThat(line).as("a log line with a bar in it").doesNotContainPattern("\\d+% +\\[").doesNotContain("MiB/s");
                }
            }
        }
        // the finished bars: one permanent line per artifact, at 100 %, and nothing in between left behind
        List<String> finalBars = bars(history);
        assertThat(finalBars).hasSize(2).allSatisfy(line -> assertThat(line).contains("100%"));
        assertThat(history).noneMatch(line -> line.matches(".*data on db/\\S+ +9\\d%.*"));
        assertThat(String.join("\n", history)).contains("INFO - Backup created of big on ");
    }

    private Path writeRunScript(Lab l) throws Exception {
        StringBuilder sh = new StringBuilder("cd ").append(tmp).append('\n');
        for (Map.Entry<String, String> e : l.env().entrySet()) {
            sh.append("export ").append(e.getKey()).append("='").append(e.getValue()).append("'\n");
        }
        sh.append("export BOSH_DEPLOYMENT=big\n");
        sh.append("'").append(Path.of(System.getProperty("java.home"), "bin", "java")).append("' -cp '")
                .append(System.getProperty("java.class.path")).append("' dev.bbr.cli.Main deployment backup")
                .append(" --artifact-path ").append(tmp).append('\n');
        sh.append("echo EXIT=$?\n");
        return Files.writeString(tmp.resolve("run.sh"), sh.toString());
    }

    /** Polls the visible screen every 100 ms (keeping every screen seen) until {@code done} holds. */
    private List<String> awaitScreen(String what, int seconds, java.util.function.Predicate<List<String>> done) {
        List<List<String>> last = new ArrayList<>();
        Awaitility.await(what).atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    List<String> screen = capture(false);
                    screens.add(screen);
                    last.clear();
                    last.add(screen);
                    return done.test(screen);
                });
        return last.get(0);
    }

    private List<String> capture(boolean withHistory) throws Exception {
        List<String> args = new ArrayList<>(List.of("tmux", "capture-pane", "-p", "-t", session));
        if (withHistory) {
            args.addAll(List.of("-S", "-"));
        }
        return List.of(run(args.toArray(String[]::new)).split("\n", -1));
    }

    private static List<String> bars(List<String> screen) {
        return screen.stream().filter(line -> BAR.matcher(line).find()).toList();
    }

    private static List<String> nonEmpty(List<String> screen) {
        return screen.stream().filter(line -> !line.isBlank()).toList();
    }

    private static boolean commandExists(String command) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "command -v " + command).start();
        return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }
}
