package dev.bbr.artifacts.codec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real command-line tools an operator would use on our artifacts ({@code age}, {@code zstd},
 * {@code gzip}). Missing tools skip the interop tests on a developer machine and fail them in CI,
 * where scripts/install-prerequisites installs them.
 */
final class CodecTools {
    private CodecTools() {
    }

    static void require(String... commands) {
        List<String> missing = new ArrayList<>();
        for (String command : commands) {
            if (!onPath(command)) {
                missing.add(command);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String reason = "command-line tools missing: " + String.join(", ", missing)
                + " (install with: apt-get install -y age zstd gzip)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(reason + " - failing because CI=true");
        }
        Assumptions.abort(reason);
    }

    private static boolean onPath(String command) {
        try {
            Process p = new ProcessBuilder("sh", "-c", "command -v " + command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
