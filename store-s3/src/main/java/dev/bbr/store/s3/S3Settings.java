package dev.bbr.store.s3;

import dev.bbr.artifacts.store.StoreException;
import dev.bbr.store.remote.Redactor;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;

/**
 * The S3 connection settings, read from the environment map given (never {@code System.getenv}): the
 * standard AWS variables {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, {@code
 * AWS_SESSION_TOKEN}, {@code AWS_PROFILE} (with {@code AWS_SHARED_CREDENTIALS_FILE}, {@code
 * AWS_CONFIG_FILE}), {@code AWS_REGION} / {@code AWS_DEFAULT_REGION}, {@code AWS_ENDPOINT_URL_S3} /
 * {@code AWS_ENDPOINT_URL} and {@code AWS_CA_BUNDLE}. {@link #toString()} shows no secret.
 */
final class S3Settings {
    final Optional<URI> endpoint;
    final Region region;
    final AwsCredentialsProvider credentials;
    final String credentialSource;
    final Optional<Path> caBundle;
    final ProfileFile profileFile;
    final String profileName;
    final Redactor redactor;

    private S3Settings(Optional<URI> endpoint, Region region, AwsCredentialsProvider credentials,
                       String credentialSource, Optional<Path> caBundle, ProfileFile profileFile, String profileName,
                       Redactor redactor) {
        this.endpoint = endpoint;
        this.region = region;
        this.credentials = credentials;
        this.credentialSource = credentialSource;
        this.caBundle = caBundle;
        this.profileFile = profileFile;
        this.profileName = profileName;
        this.redactor = redactor;
    }

    static S3Settings fromEnv(Map<String, String> env) throws StoreException {
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        Path credentialsFile = Path.of(env.getOrDefault("AWS_SHARED_CREDENTIALS_FILE", home + "/.aws/credentials"));
        Path configFile = Path.of(env.getOrDefault("AWS_CONFIG_FILE", home + "/.aws/config"));
        ProfileFile profiles = profiles(credentialsFile, configFile);
        String profileName = nonBlank(env.get("AWS_PROFILE")).orElse("default");

        Optional<URI> endpoint = nonBlank(env.get("AWS_ENDPOINT_URL_S3")).or(() -> nonBlank(env.get("AWS_ENDPOINT_URL")))
                .map(S3Settings::endpoint);
        Optional<String> regionName = nonBlank(env.get("AWS_REGION")).or(() -> nonBlank(env.get("AWS_DEFAULT_REGION")))
                .or(() -> profiles.profile(profileName).flatMap(p -> p.property("region")));
        Region region;
        if (regionName.isPresent()) {
            region = Region.of(regionName.get().trim());
        } else if (endpoint.isPresent()) {
            region = Region.US_EAST_1; // S3-compatible stores mostly ignore the region; SigV4 still needs one
        } else {
            throw new StoreException(StoreException.Reason.UNSUPPORTED_LOCATION, "no AWS region: set AWS_REGION"
                    + " (or AWS_DEFAULT_REGION, or region in the AWS_PROFILE profile)");
        }

        List<String> secrets = new ArrayList<>();
        AwsCredentialsProvider provider;
        String source;
        Optional<String> keyId = nonBlank(env.get("AWS_ACCESS_KEY_ID"));
        Optional<String> secret = nonBlank(env.get("AWS_SECRET_ACCESS_KEY"));
        if (keyId.isPresent() || secret.isPresent()) {
            if (keyId.isEmpty() || secret.isEmpty()) {
                throw new StoreException(StoreException.Reason.UNSUPPORTED_LOCATION, "incomplete AWS credentials: set"
                        + " both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or neither, to use AWS_PROFILE)");
            }
            secrets.add(secret.get());
            Optional<String> token = nonBlank(env.get("AWS_SESSION_TOKEN"));
            token.ifPresent(secrets::add);
            provider = StaticCredentialsProvider.create(token.isPresent()
                    ? AwsSessionCredentials.create(keyId.get(), secret.get(), token.get())
                    : AwsBasicCredentials.create(keyId.get(), secret.get()));
            source = "AWS_ACCESS_KEY_ID";
        } else if (profiles.profile(profileName).isPresent()) {
            provider = ProfileCredentialsProvider.builder().profileFile(profiles).profileName(profileName).build();
            source = "profile " + profileName;
            profiles.profile(profileName).flatMap(p -> p.property("aws_secret_access_key")).ifPresent(secrets::add);
            profiles.profile(profileName).flatMap(p -> p.property("aws_session_token")).ifPresent(secrets::add);
        } else if (env.containsKey("AWS_PROFILE")) {
            throw new StoreException(StoreException.Reason.UNSUPPORTED_LOCATION, "AWS_PROFILE=" + profileName
                    + " is not in " + credentialsFile + " or " + configFile);
        } else {
            // an EC2 jumpbox's instance profile
            provider = AwsCredentialsProviderChain.of(InstanceProfileCredentialsProvider.create());
            source = "the instance profile";
        }
        Optional<Path> ca = nonBlank(env.get("AWS_CA_BUNDLE")).map(Path::of);
        return new S3Settings(endpoint, region, provider, source, ca, profiles, profileName, new Redactor(secrets));
    }

    TrustManager[] trustManagers() throws StoreException {
        Path file = caBundle.orElseThrow();
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw new StoreException(StoreException.Reason.UNSUPPORTED_LOCATION, "AWS_CA_BUNDLE=" + file
                        + " holds no PEM certificate");
            }
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init(store);
            return f.getTrustManagers();
        } catch (IOException | GeneralSecurityException e) {
            throw new StoreException(StoreException.Reason.UNSUPPORTED_LOCATION, "cannot read AWS_CA_BUNDLE=" + file
                    + ": " + e.getMessage(), e);
        }
    }

    private static ProfileFile profiles(Path credentials, Path config) {
        ProfileFile.Aggregator aggregator = ProfileFile.aggregator();
        if (Files.isRegularFile(config)) {
            aggregator.addFile(ProfileFile.builder().content(config).type(ProfileFile.Type.CONFIGURATION).build());
        }
        if (Files.isRegularFile(credentials)) {
            aggregator.addFile(ProfileFile.builder().content(credentials).type(ProfileFile.Type.CREDENTIALS).build());
        }
        return aggregator.build();
    }

    private static URI endpoint(String value) {
        String v = value.trim();
        URI uri = URI.create(v.contains("://") ? v : "https://" + v);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("AWS_ENDPOINT_URL=" + value + " is not a URL");
        }
        return uri;
    }

    private static Optional<String> nonBlank(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s);
    }

    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint.map(URI::toString).orElse("AWS") + ", region=" + region
                + ", credentials from " + credentialSource + caBundle.map(p -> ", CA bundle " + p).orElse("") + "]";
    }
}
