package dev.bbr.director.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void growsByHalfAndCaps() {
        Backoff b = new Backoff(Duration.ofMillis(500), 1.5, Duration.ofSeconds(2));
        assertThat(b.delay(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(b.delay(2)).isEqualTo(Duration.ofMillis(750));
        assertThat(b.delay(3)).isEqualTo(Duration.ofMillis(1125));
        assertThat(b.delay(4)).isEqualTo(Duration.ofMillis(1687));
        assertThat(b.delay(5)).isEqualTo(Duration.ofSeconds(2));
        assertThat(b.delay(50)).isEqualTo(Duration.ofSeconds(2));
    }
}
