package dev.bbr.store.azure;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import dev.bbr.artifacts.store.StoreException;
import dev.bbr.store.remote.Redactor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Azure Blob connection, read from the environment map given: {@code AZURE_STORAGE_CONNECTION_STRING},
 * or {@code AZURE_STORAGE_ACCOUNT} with {@code AZURE_STORAGE_SAS_TOKEN} or {@code AZURE_STORAGE_KEY}
 * (and {@code AZURE_STORAGE_BLOB_ENDPOINT} for a non-public cloud or Azurite; default {@code
 * https://<account>.blob.core.windows.net}). {@link #toString()} shows no key or token.
 */
final class AzureSettings {
    static final String ENV_CONNECTION_STRING = "AZURE_STORAGE_CONNECTION_STRING";
    static final String ENV_ACCOUNT = "AZURE_STORAGE_ACCOUNT";
    static final String ENV_KEY = "AZURE_STORAGE_KEY";
    static final String ENV_SAS = "AZURE_STORAGE_SAS_TOKEN";
    static final String ENV_ENDPOINT = "AZURE_STORAGE_BLOB_ENDPOINT";

    final String endpoint;
    final String credentialSource;
    final Redactor redactor;
    private final Map<String, String> env;

    private AzureSettings(String endpoint, String credentialSource, Redactor redactor, Map<String, String> env) {
        this.endpoint = endpoint;
        this.credentialSource = credentialSource;
        this.redactor = redactor;
        this.env = env;
    }

    static AzureSettings fromEnv(Map<String, String> env) throws StoreException {
        List<String> secrets = new ArrayList<>();
        Optional<String> cs = nonBlank(env.get(ENV_CONNECTION_STRING));
        if (cs.isPresent()) {
            String account = field(cs.get(), "AccountName").orElse("");
            field(cs.get(), "AccountKey").ifPresent(secrets::add);
            field(cs.get(), "SharedAccessSignature").ifPresent(secrets::add);
            secrets.add(cs.get());
            String endpoint = field(cs.get(), "BlobEndpoint").orElseGet(() -> "https://" + account + ".blob."
                    + field(cs.get(), "EndpointSuffix").orElse("core.windows.net"));
            return new AzureSettings(trimSlash(endpoint), ENV_CONNECTION_STRING, new Redactor(secrets), Map.copyOf(env));
        }
        Optional<String> account = nonBlank(env.get(ENV_ACCOUNT));
        if (account.isEmpty()) {
            throw new StoreException(StoreException.Reason.UNSUPPORTED_LOCATION, "no Azure credentials: set "
                    + ENV_CONNECTION_STRING + ", or " + ENV_ACCOUNT + " with " + ENV_SAS + " or " + ENV_KEY);
        }
        String endpoint = nonBlank(env.get(ENV_ENDPOINT)).map(AzureSettings::trimSlash)
                .orElse("https://" + account.get() + ".blob.core.windows.net");
        Optional<String> sas = nonBlank(env.get(ENV_SAS));
        Optional<String> key = nonBlank(env.get(ENV_KEY));
        if (sas.isEmpty() && key.isEmpty()) {
            throw new StoreException(StoreException.Reason.UNSUPPORTED_LOCATION, ENV_ACCOUNT + " is set but neither "
                    + ENV_SAS + " nor " + ENV_KEY);
        }
        sas.ifPresent(secrets::add);
        key.ifPresent(secrets::add);
        return new AzureSettings(endpoint, sas.isPresent() ? ENV_SAS : ENV_KEY, new Redactor(secrets),
                Map.copyOf(env));
    }

    BlobServiceClient client() {
        BlobServiceClientBuilder builder = new BlobServiceClientBuilder()
                // 3 tries, 0.5 s doubling to 4 s; a try may take 5 min (a 16 MiB block on a slow link). The
                // upload pipeline retries parts on top of this with its own, longer window.
                .retryOptions(new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, 3, 300, 500L, 4000L, null));
        Optional<String> cs = nonBlank(env.get(ENV_CONNECTION_STRING));
        if (cs.isPresent()) {
            return builder.connectionString(cs.get()).buildClient();
        }
        builder.endpoint(endpoint);
        Optional<String> sas = nonBlank(env.get(ENV_SAS));
        if (sas.isPresent()) {
            builder.sasToken(sas.get().startsWith("?") ? sas.get().substring(1) : sas.get());
        } else {
            builder.credential(new StorageSharedKeyCredential(env.get(ENV_ACCOUNT), env.get(ENV_KEY)));
        }
        return builder.buildClient();
    }

    static Duration tryTimeout() {
        return Duration.ofMinutes(5);
    }

    private static Optional<String> field(String connectionString, String name) {
        for (String part : connectionString.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).trim().equalsIgnoreCase(name)) {
                return Optional.of(part.substring(eq + 1).trim());
            }
        }
        return Optional.empty();
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static Optional<String> nonBlank(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
    }

    @Override
    public String toString() {
        return "AzureSettings[endpoint=" + endpoint + ", credentials from " + credentialSource + "]";
    }
}
