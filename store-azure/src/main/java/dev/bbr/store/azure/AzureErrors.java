package dev.bbr.store.azure;

import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobStorageException;
import dev.bbr.artifacts.store.StoreException;
import dev.bbr.store.remote.Redactor;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * One-line messages for Azure failures, naming the location and what to do; transient ones stay plain
 * {@link IOException}s for the upload pipeline's retries. Messages are built here (status and error
 * code only), never from the service's text, which may quote a SAS query.
 */
final class AzureErrors {
    private final String container;
    private final String endpoint;
    private final Redactor redactor;

    AzureErrors(String container, String endpoint, Redactor redactor) {
        this.container = container;
        this.endpoint = endpoint;
        this.redactor = redactor;
    }

    IOException translate(String what, String where, boolean write, Throwable e) {
        StoreException.Reason failed = write ? StoreException.Reason.WRITE_FAILED : StoreException.Reason.READ_FAILED;
        if (e instanceof BlobStorageException b) {
            BlobErrorCode code = b.getErrorCode();
            int status = b.getStatusCode();
            String c = code == null ? "" : " " + code;
            if (BlobErrorCode.CONTAINER_NOT_FOUND.equals(code)) {
                return new StoreException(StoreException.Reason.NOT_FOUND, where + ": the container " + container
                        + " does not exist: create it, or correct the location");
            }
            if (status == 403 || BlobErrorCode.AUTHENTICATION_FAILED.equals(code)
                    || BlobErrorCode.AUTHORIZATION_FAILURE.equals(code)) {
                return new StoreException(failed, where + ": access denied (" + status + c + ") while " + what
                        + ": check " + AzureSettings.ENV_CONNECTION_STRING + " (or " + AzureSettings.ENV_ACCOUNT
                        + " with " + AzureSettings.ENV_KEY + " or " + AzureSettings.ENV_SAS
                        + ": its permissions and expiry)");
            }
            if (status >= 500 || status == 429 || status == 408) {
                return new IOException(where + ": the store answered " + status + c + " while " + what, e);
            }
            return new StoreException(failed, where + ": " + what + " failed: " + status + c, e);
        }
        Throwable root = rootCause(e);
        if (root instanceof SSLException) {
            return new StoreException(failed, where + ": TLS with " + endpoint + " failed (" + oneLine(root)
                    + "): check " + AzureSettings.ENV_ENDPOINT + " or the connection string's BlobEndpoint");
        }
        if (root instanceof UnknownHostException) {
            return new StoreException(failed, where + ": cannot resolve the host of " + endpoint
                    + ": check the account name and endpoint");
        }
        if (root instanceof ConnectException || root instanceof NoRouteToHostException
                || root instanceof SocketTimeoutException || root instanceof TimeoutException) {
            return new IOException(where + ": cannot reach " + endpoint + " (" + redactor.redact(oneLine(root))
                    + ") while " + what + ": check the endpoint and the network", e);
        }
        return new IOException(where + ": " + what + " failed: " + redactor.redact(oneLine(root)), e);
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        for (int depth = 0; depth < 12; depth++) {
            if (t instanceof SSLException || t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException || t instanceof SocketTimeoutException
                    || t instanceof TimeoutException) {
                return t;
            }
            if (t.getCause() == null || t.getCause() == t) {
                break;
            }
            t = t.getCause();
        }
        return t;
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
        }
        return m.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    static boolean is(Throwable e, int status) {
        return e instanceof BlobStorageException b && b.getStatusCode() == status;
    }

    static boolean blobMissing(Throwable e) {
        return e instanceof BlobStorageException b && b.getStatusCode() == 404
                && !BlobErrorCode.CONTAINER_NOT_FOUND.equals(b.getErrorCode());
    }
}
