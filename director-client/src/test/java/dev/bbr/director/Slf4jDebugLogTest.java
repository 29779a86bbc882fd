package dev.bbr.director;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class Slf4jDebugLogTest {

    @Test
    void debugWithoutSinkGoesToHttpClientLoggerWithoutSecrets() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("httpClient");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        Level before = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        try (MockDirector director = new MockDirector()) {
            director.enqueue(200, "{\"user_authentication\":{\"type\":\"basic\"}}");
            director.enqueue(200, "[]");
            director.builder().debugSink(null).build().deployments();
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(before);
        }
        String all = appender.list.stream().map(ILoggingEvent::getFormattedMessage)
                .collect(Collectors.joining("\n"));
        assertThat(all).contains("Sending GET request to endpoint 'https://")
                .contains("Authorization: Basic [REDACTED]")
                .doesNotContain(MockDirector.PASSWORD);
    }

    @Test
    void debugOffLogsNothing() throws Exception {
        try (MockDirector director = new MockDirector()) {
            director.enqueue(200, "{\"user_authentication\":{\"type\":\"basic\"}}");
            director.builder().debug(false).build();
            assertThat(director.logs).isEmpty();
        }
    }
}
