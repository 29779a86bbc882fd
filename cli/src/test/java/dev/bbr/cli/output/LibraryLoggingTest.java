package dev.bbr.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** Library logging: warnings on stderr in one line each, sshj silenced, nothing below WARN. */
class LibraryLoggingTest {

    @Test
    void logbackFindsItThroughTheServiceLoader() {
        assertThat(ServiceLoader.load(Configurator.class)).anyMatch(c -> c instanceof LibraryLogging);
    }

    @Test
    void warningsGoToStderrInBbrsShapeAndSshjIsOff() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter()); // as logback's own start-up does
        try {
            LibraryLogging logging = new LibraryLogging();
            logging.setContext(context);
            assertThat(logging.configure(context)).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
            context.start();
            context.getLogger("okhttp3.OkHttpClient").warn("slow {}", "answer");
            context.getLogger("okhttp3.OkHttpClient").info("chatter");
            context.getLogger("net.schmizz.sshj.transport.TransportImpl").error("already reported");
            context.getLogger("com.hierynomus.sshj.Thing").warn("also sshj");
            context.getLogger("x.Failing").warn("with cause", new IllegalStateException("boom"));
        } finally {
            context.stop();
            System.setErr(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertThat(out).containsPattern("(?m)^\\[OkHttpClient\\] \\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2} WARN - slow answer$")
                .contains("[Failing] ").contains("WARN - with cause").contains("java.lang.IllegalStateException: boom")
                .doesNotContain("chatter").doesNotContain("already reported").doesNotContain("also sshj");
    }
}
