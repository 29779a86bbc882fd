package dev.bbr.lab;

import org.awaitility.Awaitility;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bbr.lab.junit.LabExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** UAA mode: client_credentials tokens on :8443, bearer auth on the Director, expiry -> 401. */
class UaaTest {
    @RegisterExtension
    static LabExtension lab = LabExtension.fromResource("labs/uaa.yml");

    @Test
    void tokenWorksUntilItExpires() throws Exception {
        Lab l = lab.get();
        TestHttp http = new TestHttp(l);
        JsonNode info = DirectorClientStub.JSON.readTree(http.get("/info", null).body());
        assertThat(info.at("/user_authentication/type").asText()).isEqualTo("uaa");
        String uaa = info.at("/user_authentication/options/url").asText();
        assertThat(uaa).isEqualTo("https://127.0.0.10:8443");

        HttpResponse<String> bad = http.post(uaa + "/oauth/token", TestHttp.basic(l.client(), "wrong"),
                "application/x-www-form-urlencoded", "grant_type=client_credentials");
        assertThat(bad.statusCode()).isEqualTo(401);

        l.faults().tokenTtl(Duration.ofSeconds(2));
        HttpResponse<String> tok = http.post(uaa + "/oauth/token", TestHttp.basic(l.client(), l.clientSecret()),
                "application/x-www-form-urlencoded", "grant_type=client_credentials");
        assertThat(tok.statusCode()).as(tok.body()).isEqualTo(200);
        JsonNode t = DirectorClientStub.JSON.readTree(tok.body());
        assertThat(t.get("token_type").asText()).isEqualTo("bearer");
        assertThat(t.get("expires_in").asInt()).isEqualTo(2);
        assertThat(t.get("jti").asText()).isNotEmpty();
        String bearer = "bearer " + t.get("access_token").asText();

        assertThat(http.get("/deployments", bearer).statusCode()).isEqualTo(200);
        assertThat(http.get("/deployments", "Bearer " + t.get("access_token").asText()).statusCode()).isEqualTo(200);
        // basic credentials are not accepted by a UAA-mode Director
        assertThat(http.get("/deployments", TestHttp.basic(l.client(), l.clientSecret())).statusCode()).isEqualTo(401);
        assertThat(http.get("/deployments", "bearer garbage.token.here").statusCode()).isEqualTo(401);

        // the token lives 3 s: it is refused once that has passed (and not before 2 s)
        HttpResponse<String> expired = Awaitility.await("the token to expire").pollDelay(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(100))
                .until(() -> http.get("/deployments", bearer), r -> r.statusCode() == 401);
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(expired.body()).isEqualTo("Not authorized: '/deployments'\n");
        assertThat(l.requests()).extracting(LabRequest::listener).contains("uaa", "director");
        l.faults().clear();
    }
}
