package dev.bbr.director.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UaaAuthTest {
    MockWebServer uaa = new MockWebServer();
    AtomicLong now = new AtomicLong();
    UaaAuth auth;

    @BeforeEach
    void start() throws Exception {
        uaa.start();
        Transport transport = new Transport(new OkHttpClient(), new RetryPolicy(1,
                new Backoff(Duration.ZERO, 1, Duration.ZERO)),
                new TransportErrors(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)),
                DebugLog.disabled(), d -> { });
        auth = new UaaAuth(new UaaTokenClient(uaa.url("/oauth/token"), "c", "s", transport,
                DebugLog.disabled()), now::get);
    }

    @AfterEach
    void stop() {
        uaa.close();
    }

    private void token(String value, int expiresIn) {
        uaa.enqueue(new MockResponse.Builder().body("{\"access_token\":\"" + value
                + "\",\"token_type\":\"bearer\",\"expires_in\":" + expiresIn + "}").build());
    }

    @Test
    void refreshesShortlyBeforeExpiry() {
        token("t1", 600);
        token("t2", 600);
        assertThat(auth.header()).isEqualTo("bearer t1");
        now.addAndGet(Duration.ofSeconds(569).toNanos());
        assertThat(auth.header()).isEqualTo("bearer t1");
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(auth.header()).isEqualTo("bearer t2");
        assertThat(uaa.getRequestCount()).isEqualTo(2);
    }

    @Test
    void afterUnauthorizedReusesATokenAnotherThreadAlreadyRenewed() {
        token("t1", 600);
        token("t2", 600);
        String first = auth.header();
        assertThat(auth.afterUnauthorized(first)).isEqualTo("bearer t2");
        // a second caller that was rejected with t1 too must not trigger a third fetch
        assertThat(auth.afterUnauthorized(first)).isEqualTo("bearer t2");
        assertThat(uaa.getRequestCount()).isEqualTo(2);
    }
}
