package dev.bbr.director;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DirectorClientAuthTest {
    static final String TOKEN_1 = "eyJhbGciOi.first-token.sig";
    static final String TOKEN_2 = "eyJhbGciOi.second-token.sig";

    MockDirector director;

    @BeforeEach
    void start() throws Exception {
        director = new MockDirector();
    }

    @AfterEach
    void stop() {
        director.close();
    }

    private DirectorClient uaaClient() throws InterruptedException {
        director.enqueue(200, "{\"name\":\"bosh\",\"user_authentication\":{\"type\":\"uaa\","
                + "\"options\":{\"url\":\"" + director.baseUrl() + "/uaa\"}}}");
        DirectorClient client = director.builder().credentials("bbr-client", MockDirector.PASSWORD).build();
        RecordedRequest info = director.take();
        assertThat(info.getHeaders().get("Authorization")).isNull();
        return client;
    }

    private void token(String token) {
        director.enqueue(200, "{\"access_token\":\"" + token + "\",\"token_type\":\"bearer\","
                + "\"expires_in\":599,\"scope\":\"bosh.admin\",\"jti\":\"abc\"}");
    }

    @Test
    void basicAuthIsSentEverywhereExceptInfo() throws Exception {
        director.enqueue(200, "{\"name\":\"my-bosh\",\"uuid\":\"u-1\",\"version\":\"280.0.14 (00000000)\","
                + "\"user\":null,\"cpi\":\"warden_cpi\",\"user_authentication\":{\"type\":\"basic\",\"options\":{}}}");
        DirectorClient client = director.builder().build();
        assertThat(director.take().getHeaders().get("Authorization")).isNull();
        assertThat(client.info()).isEqualTo(
                new Info("my-bosh", "u-1", "280.0.14 (00000000)", null, "warden_cpi", "basic", null));

        director.enqueue(200, "[{\"name\":\"redis\",\"teams\":[],\"releases\":[{\"name\":\"redis\","
                + "\"version\":\"15.2.0\"}],\"stemcells\":[],\"locked\":false}]");
        assertThat(client.deployments()).containsExactly(new DeploymentSummary("redis",
                java.util.List.of(new DeploymentSummary.NamedVersion("redis", "15.2.0")),
                java.util.List.of(), java.util.List.of()));
        String expected = "Basic " + Base64.getEncoder().encodeToString(
                ("admin:" + MockDirector.PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertThat(director.take().getHeaders().get("Authorization")).isEqualTo(expected);
    }

    @Test
    void emptyUsernameSendsNoBasicHeader() throws Exception {
        director.enqueue(200, "{\"user_authentication\":{\"type\":\"basic\"}}");
        DirectorClient client = director.builder().credentials("", "").build();
        director.take();
        director.enqueue(200, "[]");
        client.deployments();
        assertThat(director.take().getHeaders().get("Authorization")).isNull();
    }

    @Test
    void basic401IsRetriedOnceThenReported() throws Exception {
        DirectorClient client = director.basicClient();
        director.enqueue(401, "Not authorized: '/deployments/redis/vms'\n");
        director.enqueue(401, "Not authorized: '/deployments/redis/vms'\n");

        assertThatThrownBy(() -> client.vms("redis"))
                .isInstanceOfSatisfying(DirectorResponseException.class, e -> assertThat(e.status()).isEqualTo(401))
                .hasMessage("Director responded with non-successful status code '401' response "
                        + "'Not authorized: '/deployments/redis/vms'\n'");
        assertThat(director.server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void uaaTokenIsFetchedWithClientCredentialsAndCached() throws Exception {
        DirectorClient client = uaaClient();
        token(TOKEN_1);
        director.enqueue(200, "[]");
        director.enqueue(200, "{\"manifest\":null}");

        assertThat(client.deployments()).isEmpty();
        assertThat(client.manifest("redis")).isEmpty();

        RecordedRequest tokenRequest = director.take();
        assertThat(tokenRequest.getMethod()).isEqualTo("POST");
        assertThat(tokenRequest.getTarget()).isEqualTo("/uaa/oauth/token");
        assertThat(tokenRequest.getBody().utf8()).isEqualTo("grant_type=client_credentials");
        assertThat(tokenRequest.getHeaders().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(tokenRequest.getHeaders().get("Accept")).isEqualTo("application/json");
        assertThat(tokenRequest.getHeaders().get("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                .encodeToString(("bbr-client:" + MockDirector.PASSWORD).getBytes(StandardCharsets.UTF_8)));
        assertThat(director.take().getHeaders().get("Authorization")).isEqualTo("bearer " + TOKEN_1);
        assertThat(director.take().getHeaders().get("Authorization")).isEqualTo("bearer " + TOKEN_1);
    }

    @Test
    void uaa401FetchesNewTokenAndRetriesOnce() throws Exception {
        DirectorClient client = uaaClient();
        token(TOKEN_1);
        director.enqueue(401, "Not authorized: '/deployments'\n");
        token(TOKEN_2);
        director.enqueue(200, "[{\"name\":\"redis\"}]");

        assertThat(client.deployments()).extracting(DeploymentSummary::name).containsExactly("redis");

        director.take();
        assertThat(director.take().getHeaders().get("Authorization")).isEqualTo("bearer " + TOKEN_1);
        assertThat(director.take().getTarget()).isEqualTo("/uaa/oauth/token");
        assertThat(director.take().getHeaders().get("Authorization")).isEqualTo("bearer " + TOKEN_2);
    }

    @Test
    void uaa401TwiceIsAClearError() throws Exception {
        DirectorClient client = uaaClient();
        token(TOKEN_1);
        director.enqueue(401, "{\"code\":600000,\"description\":\"Require one of the scopes: bosh.admin\"}");
        token(TOKEN_2);
        director.enqueue(401, "{\"code\":600000,\"description\":\"Require one of the scopes: bosh.admin\"}");

        assertThatThrownBy(client::deployments)
                .isInstanceOfSatisfying(DirectorResponseException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.errorCode()).isEqualTo(600000);
                    assertThat(e.errorDescription()).isEqualTo("Require one of the scopes: bosh.admin");
                })
                .hasMessageStartingWith("Director responded with non-successful status code '401'");
        assertThat(director.server.getRequestCount()).isEqualTo(5);
    }

    @Test
    void uaaRejectionUsesBoshCliWording() throws Exception {
        DirectorClient client = uaaClient();
        director.enqueue(401, "{\"error\":\"unauthorized\",\"error_description\":\"Bad credentials\"}");

        assertThatThrownBy(client::deployments)
                .isInstanceOfSatisfying(UaaResponseException.class, e -> assertThat(e.status()).isEqualTo(401))
                .hasMessage("UAA responded with non-successful status code '401' response "
                        + "'{\"error\":\"unauthorized\",\"error_description\":\"Bad credentials\"}'");
    }

    @Test
    void uaaUrlMustBeAString() {
        director.enqueue(200, "{\"user_authentication\":{\"type\":\"uaa\",\"options\":{\"url\":123}}}");
        assertThatThrownBy(() -> director.builder().build())
                .isInstanceOf(DirectorConfigException.class)
                .hasMessage("Expected URL '123' to be a string");
    }

    @Test
    void uaaUrlMustBeValid() {
        director.enqueue(200, "{\"user_authentication\":{\"type\":\"uaa\",\"options\":{\"url\":\"\"}}}");
        assertThatThrownBy(() -> director.builder().build())
                .isInstanceOf(DirectorConfigException.class)
                .hasMessageStartingWith("invalid UAA URL: ");
        director.enqueue(200, "{\"user_authentication\":{\"type\":\"uaa\",\"options\":{\"url\":\"https://:8443\"}}}");
        assertThatThrownBy(() -> director.builder().build())
                .hasMessageStartingWith("invalid UAA URL: ");
    }

    @Test
    void secretsNeverReachTheDebugLog() throws Exception {
        DirectorClient client = uaaClient();
        token(TOKEN_1);
        director.enqueue(401, "Not authorized: '/deployments'\n");
        token(TOKEN_2);
        director.enqueue(200, "[]");
        client.deployments();

        String logs = director.allLogs();
        String clientCreds = Base64.getEncoder().encodeToString(
                ("bbr-client:" + MockDirector.PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertThat(logs)
                .contains("Sending GET request to endpoint '" + director.baseUrl() + "/deployments'")
                .contains("Sending POST request to endpoint '" + director.baseUrl() + "/uaa/oauth/token'")
                .contains("Authorization: bearer [REDACTED]")
                .doesNotContain(MockDirector.PASSWORD)
                .doesNotContain(TOKEN_1)
                .doesNotContain(TOKEN_2)
                .doesNotContain("first-token")
                .doesNotContain(clientCreds);
    }

    @Test
    void basicCredentialsNeverReachTheDebugLogOrErrors() throws Exception {
        DirectorClient client = director.basicClient();
        director.enqueue(500, "{\"code\":100,\"description\":\"boom\"}");
        String basic = Base64.getEncoder().encodeToString(
                ("admin:" + MockDirector.PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(client::deployments)
                .hasMessageNotContaining(MockDirector.PASSWORD)
                .hasMessageNotContaining(basic);
        assertThat(director.allLogs())
                .contains("Sending GET request to endpoint '" + director.baseUrl() + "/deployments'")
                .contains("Received 500 from GET")
                .doesNotContain(MockDirector.PASSWORD)
                .doesNotContain(basic);
    }
}
