package dev.bbr.lab;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bbr.lab.junit.LabExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Director endpoints over real HTTPS with the generated CA. */
class DirectorApiTest {
    @RegisterExtension
    static LabExtension lab = LabExtension.fromResource("labs/default.yml");

    private TestHttp http() throws Exception {
        return new TestHttp(lab.get());
    }

    private String auth() {
        return TestHttp.basic(lab.get().client(), lab.get().clientSecret());
    }

    @AfterEach
    void reset() {
        lab.get().faults().clear();
        lab.get().clearRequests();
    }

    @Test
    void infoNeedsNoAuthAndReportsBasic() throws Exception {
        HttpResponse<String> r = http().get("/info", null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode info = DirectorClientStub.JSON.readTree(r.body());
        assertThat(info.at("/user_authentication/type").asText()).isEqualTo("basic");
        assertThat(info.get("version").asText()).isEqualTo("280.0.0 (00000000)");
        assertThat(info.get("user").isNull()).isTrue();
        assertThat(lab.get().requests()).extracting(LabRequest::line, LabRequest::authKind, LabRequest::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("GET /info", "none", 200));
    }

    @Test
    void badOrMissingCredentialsGetPlainText401() throws Exception {
        for (String a : new String[]{null, TestHttp.basic("admin", "wrong")}) {
            HttpResponse<String> r = http().get("/deployments/lab-deployment/vms?format=full", a);
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).isEqualTo("Not authorized: '/deployments/lab-deployment/vms'\n");
            assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"BOSH Director\"");
        }
        assertThat(lab.get().requests()).extracting(LabRequest::authKind).containsExactly("none", "basic");
    }

    @Test
    void deploymentsListAndManifest() throws Exception {
        HttpResponse<String> list = http().get("/deployments", auth());
        assertThat(DirectorClientStub.JSON.readTree(list.body()).get(0).get("name").asText()).isEqualTo("lab-deployment");
        JsonNode m = DirectorClientStub.JSON.readTree(http().get("/deployments/lab-deployment", auth()).body());
        String manifest = m.get("manifest").asText();
        assertThat(manifest).contains("name: lab-deployment", "backup_one_restore_all: true", "release: lab-release", "- name: ordered-a");
    }

    @Test
    void unknownDeploymentIs404WithCode70000AndCreatesNoTask() throws Exception {
        HttpResponse<String> r = http().get("/deployments/nope/vms?format=full", auth());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("{\"code\":70000,\"description\":\"Deployment 'nope' doesn't exist\"}");
        assertThat(http().get("/deployments/nope", auth()).statusCode()).isEqualTo(404);
    }

    @Test
    void unknownEndpointAndWrongContentTypeAre404() throws Exception {
        HttpResponse<String> r = http().get("/nothing/here", auth());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("Endpoint '/nothing/here' not found.");
        HttpResponse<String> ssh = http().post("/deployments/nope/ssh", auth(), "text/plain", "{}");
        assertThat(ssh.statusCode()).isEqualTo(404);
        assertThat(ssh.body()).isEqualTo("Endpoint '/deployments/nope/ssh' not found.");
        assertThat(http().get("/tasks/9999", auth()).body()).isEqualTo("{\"code\":10000,\"description\":\"Task 9999 not found\"}");
    }

    @Test
    void vmsTaskFlowRedirectsToTaskAndReturnsNdjson() throws Exception {
        HttpResponse<String> r = http().get("/deployments/lab-deployment/vms?format=full", auth());
        assertThat(r.statusCode()).isEqualTo(302);
        String location = r.headers().firstValue("Location").orElseThrow();
        assertThat(location).matches("https://127\\.0\\.0\\.10:25555/tasks/\\d+");
        JsonNode first = DirectorClientStub.JSON.readTree(http().get(location, auth()).body());
        assertThat(first.get("state").asText()).isEqualTo("queued");
        JsonNode second = DirectorClientStub.JSON.readTree(http().get(location, auth()).body());
        assertThat(second.get("state").asText()).isEqualTo("done");
        HttpResponse<String> events = http().get(location + "/output?type=event", auth(), "Range", "bytes=0-");
        assertThat(events.statusCode()).isEqualTo(200);
        assertThat(events.body()).isEmpty();
        String result = http().get(location + "/output?type=result", auth()).body();
        List<String> lines = result.lines().toList();
        assertThat(result).endsWith("\n");
        assertThat(lines).hasSize(3);
        for (String line : lines) {
            JsonNode vm = DirectorClientStub.JSON.readTree(line);
            LabInstance i = lab.get().instance("lab-deployment", vm.get("job_name").asText(), vm.get("index").asInt());
            assertThat(vm.get("id").asText()).isEqualTo(i.id());
            assertThat(vm.get("ips").get(0).asText()).isEqualTo(i.ip());
            assertThat(vm.get("bootstrap").asBoolean()).isEqualTo(i.index() == 0);
        }
        assertThat(lab.get().requests()).extracting(LabRequest::line).first().isEqualTo("GET /deployments/lab-deployment/vms?format=full");
        assertThat(Files.readString(lab.get().stateDir().resolve("requests.log"))).contains("GET /deployments/lab-deployment/vms?format=full auth=basic status=302");
    }

    @Test
    void eventOutputHonoursRanges() throws Exception {
        lab.get().faults().failNextTask("vms", "lab says no");
        HttpResponse<String> r = http().get("/deployments/lab-deployment/vms?format=full", auth());
        JsonNode task = new DirectorClientStub(http(), auth()).awaitTask(r);
        assertThat(task.get("state").asText()).isEqualTo("error");
        assertThat(task.get("result").asText()).isEqualTo("lab says no");
        String path = "/tasks/" + task.get("id").asInt() + "/output?type=event";
        String full = http().get(path, auth()).body();
        assertThat(full).contains("\"message\":\"lab says no\"").endsWith("\n");
        int size = full.getBytes().length;

        HttpResponse<String> part = http().get(path, auth(), "Range", "bytes=5-");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 5-" + (size - 1) + "/" + size);
        assertThat(part.body()).isEqualTo(full.substring(5));

        HttpResponse<String> none = http().get(path, auth(), "Range", "bytes=" + size + "-");
        assertThat(none.statusCode()).isEqualTo(416);
        assertThat(none.body()).isEqualTo("Byte range unsatisfiable");
        assertThat(none.headers().firstValue("Content-Range")).hasValue("bytes */" + size);

        assertThat(http().get(path, auth()).statusCode()).isEqualTo(200);
        // result output of a failed task stays empty
        assertThat(http().get("/tasks/" + task.get("id").asInt() + "/output?type=result", auth()).body()).isEmpty();
    }

    @Test
    void sshSetupForUnknownInstanceFailsTaskWith70001() throws Exception {
        DirectorClientStub d = new DirectorClientStub(http(), auth());
        JsonNode task = d.awaitTask(d.ssh("lab-deployment",
                DirectorClientStub.setupBody("lab-deployment", "nope", null, "bosh_0000000000000bb", "ssh-rsa AAAA x")));
        assertThat(task.get("state").asText()).isEqualTo("error");
        assertThat(task.get("result").asText()).startsWith("No instances matched");
    }

    @Test
    void httpFaultsReturnStatusDropAndStall() throws Exception {
        lab.get().faults().httpStatus("GET", "/deployments", 503, 2);
        assertThat(http().get("/deployments", auth()).statusCode()).isEqualTo(503);
        assertThat(http().get("/deployments", auth()).statusCode()).isEqualTo(503);
        assertThat(http().get("/deployments", auth()).statusCode()).isEqualTo(200);

        // the JDK client silently retries an idempotent GET once after a dropped connection
        lab.get().faults().httpDrop(null, "/deployments/lab-deployment", 2);
        assertThatThrownBy(() -> http().get("/deployments/lab-deployment", auth())).isInstanceOf(IOException.class);
        assertThat(lab.get().requests()).filteredOn(r -> r.path().equals("/deployments/lab-deployment"))
                .extracting(LabRequest::status).containsExactly(-1, -1);
        assertThat(http().get("/deployments/lab-deployment", auth()).statusCode()).isEqualTo(200);

        lab.get().faults().httpStall("GET", "/info", Duration.ofMillis(700), 1);
        long t0 = System.nanoTime();
        assertThat(http().get("/info", null).statusCode()).isEqualTo(200);
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(650);
    }

    @Test
    void adminEndpointSetsFaultsWithoutAuthAndIsNotLogged() throws Exception {
        HttpResponse<String> r = http().post("/_lab/faults", null, "application/json",
                "{\"http\":[{\"method\":\"GET\",\"path\":\"/deployments\",\"action\":\"status\",\"status\":500,\"times\":1}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(http().get("/deployments", auth()).statusCode()).isEqualTo(500);
        HttpResponse<String> netem = http().post("/_lab/faults", null, "application/json", "{\"netem\":\"delay 100ms\"}");
        assertThat(netem.statusCode()).isEqualTo(501);
        assertThat(netem.body()).contains("netem is unsupported");
        assertThat(lab.get().requests()).extracting(LabRequest::path).doesNotContain("/_lab/faults");
    }
}
