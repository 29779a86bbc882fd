package dev.bbr.store.s3;

import dev.bbr.store.remote.TransferOptions;
import dev.bbr.store.testkit.TestServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/** The environment and options the S3 tests use against S3Proxy. */
final class S3TestSupport {
    static final String BUCKET = "bbr-tests";

    private S3TestSupport() {
    }

    static Map<String, String> env(String endpoint) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ACCESS_KEY_ID", TestServer.S3PROXY_IDENTITY);
        env.put("AWS_SECRET_ACCESS_KEY", TestServer.S3PROXY_CREDENTIAL);
        env.put("AWS_ENDPOINT_URL", endpoint);
        env.put("AWS_REGION", "us-east-1");
        env.put("HOME", "/nonexistent");
        return env;
    }

    /** 5 MiB parts (S3's smallest), 3 in flight, quick retries. */
    static S3Options options() {
        return S3Options.defaults().withTransfer(TransferOptions.defaults().withPartSize(S3Options.MIN_PART_SIZE)
                .withPartsInFlight(3).withRetries(4, Duration.ofMillis(200), Duration.ofSeconds(1)));
    }

    static void ensureBucket(S3Client client, String bucket) {
        try {
            client.headBucket(b -> b.bucket(bucket));
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            client.createBucket(b -> b.bucket(bucket));
        }
    }
}
