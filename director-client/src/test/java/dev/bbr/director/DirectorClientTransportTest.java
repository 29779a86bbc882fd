package dev.bbr.director;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DirectorClientTransportTest {
    MockDirector director;

    @BeforeEach
    void start() throws Exception {
        director = new MockDirector();
    }

    @AfterEach
    void stop() {
        director.close();
    }

    @Test
    void unreachableDirectorNamesTheUrl() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        assertThatThrownBy(() -> director.builder()
                        .target(DirectorTarget.parse("127.0.0.1:" + closedPort)).build())
                .isInstanceOf(DirectorConnectionException.class)
                .hasMessage("bosh director unreachable or unhealthy: Get \"https://127.0.0.1:"
                        + closedPort + "/info\": connect: connection refused");
        // connection failures of idempotent requests are retried (3 attempts configured)
        assertThat(director.sleeps).hasSize(2);
    }

    @Test
    void caMismatchNamesHostAndFix() {
        director.enqueue(200, "{}");
        TestCerts other = TestCerts.create("some-other-ca");
        assertThatThrownBy(() -> director.builder().caCert(CaCert.parse(other.caPem())).build())
                .isInstanceOfSatisfying(DirectorTlsException.class,
                        e -> assertThat(e.host()).isEqualTo(director.server.getHostName()))
                .hasMessageContaining("bosh director unreachable or unhealthy: Get \"" + director.baseUrl() + "/info\"")
                .hasMessageContaining("TLS verification of " + director.server.getHostName() + " failed")
                .hasMessageContaining("pass the Director's CA with --ca-cert or BOSH_CA_CERT");
        assertThat(director.sleeps).as("TLS failures are not retried").isEmpty();
    }

    @Test
    void wrongHostNameIsATlsErrorToo() throws Exception {
        // The certificate covers localhost and 127.0.0.1 only.
        director.enqueue(200, "{}");
        String ipv6 = "[::1]:" + director.server.getPort();
        try (var probe = new Socket()) {
            probe.connect(new InetSocketAddress("::1", director.server.getPort()), 500);
        } catch (Exception e) {
            return; // server not reachable over IPv6 in this environment
        }
        assertThatThrownBy(() -> director.builder().target(DirectorTarget.parse(ipv6)).build())
                .isInstanceOf(DirectorTlsException.class)
                .hasMessageContaining("TLS verification of ::1 failed");
    }

    @Test
    void stalledServerHitsReadTimeout() throws Exception {
        director.enqueue(200, "{\"user_authentication\":{\"type\":\"basic\"}}");
        DirectorClient client = director.builder()
                .readTimeout(Duration.ofMillis(200))
                .retries(2, Duration.ofMillis(1))
                .build();
        director.take();
        for (int i = 0; i < 2; i++) {
            director.enqueue(new MockResponse.Builder().body("[]")
                    .headersDelay(3, TimeUnit.SECONDS).build());
        }
        assertThatThrownBy(client::deployments)
                .isInstanceOf(DirectorConnectionException.class)
                .hasMessage("Get \"" + director.baseUrl() + "/deployments\": read: i/o timeout "
                        + "(no data within 200ms)");
        assertThat(director.sleeps).hasSize(1);
    }

    @Test
    void connectTimeoutIsReported() throws Exception {
        // A listening socket whose accept queue is full silently drops further SYNs.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    Socket s = new Socket();
                    s.connect(full.getLocalSocketAddress(), 200);
                    fillers.add(s);
                }
            } catch (Exception expectedOnceFull) {
                // queue is full now
            }
            long start = System.nanoTime();
            assertThatThrownBy(() -> director.builder()
                            .target(DirectorTarget.parse("127.0.0.1:" + full.getLocalPort()))
                            .connectTimeout(Duration.ofMillis(300))
                            .retries(1, Duration.ofMillis(1))
                            .build())
                    .isInstanceOf(DirectorConnectionException.class)
                    .hasMessageContaining("https://127.0.0.1:" + full.getLocalPort() + "/info")
                    .hasMessageContaining("timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            for (Socket s : fillers) {
                s.close();
            }
        }
    }

    @Test
    void getIsRetriedOn503ThenGivesUp() throws Exception {
        DirectorClient client = director.basicClient();
        for (int i = 0; i < 3; i++) {
            director.enqueue(503, "<html>503 Service Temporarily Unavailable</html>");
        }
        assertThatThrownBy(client::deployments)
                .isInstanceOfSatisfying(DirectorResponseException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.errorCode()).isNull();
                })
                .hasMessage("Director responded with non-successful status code '503' response "
                        + "'<html>503 Service Temporarily Unavailable</html>'");
        assertThat(director.server.getRequestCount()).isEqualTo(1 + 3);
        assertThat(director.sleeps).containsExactly(Duration.ofMillis(1), Duration.ofMillis(1));
    }

    @Test
    void getRecoversAfter502AndDroppedConnection() throws Exception {
        DirectorClient client = director.basicClient();
        director.enqueue(502, "bad gateway");
        director.enqueue(new MockResponse.Builder()
                .onRequestStart(new SocketEffect.CloseSocket(true, false, false)).build());
        director.enqueue(200, "[{\"name\":\"redis\"}]");
        assertThat(client.deployments()).hasSize(1);
    }

    @Test
    void postIsNotRetriedOn503() throws Exception {
        DirectorClient client = director.basicClient();
        director.enqueue(503, "unavailable");
        director.enqueue(503, "unavailable");
        assertThatThrownBy(() -> client.sshSetup("redis", "redis", "bosh_1", "ssh-rsa AAA"))
                .isInstanceOfSatisfying(DirectorResponseException.class,
                        e -> assertThat(e.method()).isEqualTo("POST"));
        assertThat(director.server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void postIsNotReplayedWhenTheConnectionDropsAfterSending() throws Exception {
        DirectorClient client = director.basicClient();
        director.enqueue(new MockResponse.Builder()
                .onResponseStart(new SocketEffect.CloseSocket(true, false, false)).build());
        director.enqueue(200, "should never be requested");
        assertThatThrownBy(() -> client.sshCleanup("redis", "redis", List.of("id-1"), "^bosh_1"))
                .isInstanceOf(DirectorConnectionException.class)
                .hasMessageStartingWith("Post \"" + director.baseUrl() + "/deployments/redis/ssh\": ");
        assertThat(director.server.getRequestCount()).isEqualTo(2);
        assertThat(director.sleeps).isEmpty();
    }

    @Test
    void malformedJsonIsAClearError() throws Exception {
        DirectorClient client = director.basicClient();
        director.enqueue(200, "{\"name\": oops");
        assertThatThrownBy(client::deployments)
                .isInstanceOf(DirectorException.class)
                .hasMessageStartingWith("Unmarshaling Director response for deployments (GET '"
                        + director.baseUrl() + "/deployments'): ");
    }

    @Test
    void malformedInfoMeansUnhealthy() {
        director.enqueue(200, "<html>");
        assertThatThrownBy(() -> director.builder().build())
                .hasMessageStartingWith("bosh director unreachable or unhealthy: Unmarshaling");
    }

    @Test
    void notFoundCarriesDirectorErrorFields() throws Exception {
        DirectorClient client = director.basicClient();
        director.enqueue(404, "{\"code\":70000,\"description\":\"Deployment 'nope' doesn't exist\"}");
        assertThatThrownBy(() -> client.vms("nope"))
                .isInstanceOfSatisfying(DirectorResponseException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(70000);
                    assertThat(e.errorDescription()).isEqualTo("Deployment 'nope' doesn't exist");
                })
                .hasMessage("Director responded with non-successful status code '404' response "
                        + "'{\"code\":70000,\"description\":\"Deployment 'nope' doesn't exist\"}'");
    }

    @Test
    void deploymentNameIsPercentEncoded() throws Exception {
        DirectorClient client = director.basicClient();
        director.enqueue(200, "{\"manifest\":\"---\\nname: x\\n\"}");
        assertThat(client.manifest("we ird/../name")).isEqualTo("---\nname: x\n");
        assertThat(director.take().getTarget()).isEqualTo("/deployments/we%20ird%2F..%2Fname");
    }

    @Test
    void socksRouteIsAskedPerHost() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        director.enqueue(200, "{\"user_authentication\":{\"type\":\"basic\"}}");
        director.builder().proxyRoute(ProxyRoute.of(host -> {
            asked.add(host);
            return Proxy.NO_PROXY; // e.g. host listed in NO_PROXY
        }, Optional.empty())).build();
        assertThat(asked).contains(director.server.getHostName());
    }

    @Test
    void sshTunnelReceivesTheHostNameNotAnAddress() throws Exception {
        List<String> endpoints = new CopyOnWriteArrayList<>();
        int port = director.server.getPort();
        SocketFactory tunnel = new SocketFactory() {
            @Override
            public Socket createSocket() {
                return new Socket() {
                    @Override
                    public void connect(SocketAddress endpoint, int timeout) throws java.io.IOException {
                        InetSocketAddress target = (InetSocketAddress) endpoint;
                        endpoints.add(target.getHostString() + ":" + target.getPort());
                        // stand-in for the jumpbox: it resolves the name on its side
                        super.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), timeout);
                    }
                };
            }

            @Override
            public Socket createSocket(String host, int p) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Socket createSocket(String host, int p, InetAddress localHost, int localPort) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Socket createSocket(InetAddress host, int p) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Socket createSocket(InetAddress address, int p, InetAddress localAddress, int localPort) {
                throw new UnsupportedOperationException();
            }
        };
        director.enqueue(200, "{\"user_authentication\":{\"type\":\"basic\"}}");
        director.builder()
                .target(DirectorTarget.parse("localhost:" + port))
                .proxyRoute(ProxyRoute.of(h -> Proxy.NO_PROXY, Optional.of(tunnel)))
                .build();
        assertThat(endpoints).containsExactly("localhost:" + port);
    }
}
