package dev.bbr.store.s3;

import dev.bbr.artifacts.store.StoreException;
import dev.bbr.store.remote.Redactor;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns SDK failures into one-line messages that name the location and say what to do. Transient ones
 * (unreachable, 5xx, throttling) stay plain {@link IOException}s so the upload pipeline retries them;
 * the rest are final {@link StoreException}s. SDK text is passed through the {@link Redactor}.
 */
final class S3Errors {
    private static final Set<String> AUTH_CODES = Set.of("InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied",
            "ExpiredToken", "InvalidToken", "TokenRefreshRequired", "AuthorizationHeaderMalformed",
            "InvalidSecurity", "AllAccessDisabled", "AccountProblem");

    private final String bucket;
    private final String endpoint;
    private final Redactor redactor;

    S3Errors(String bucket, String endpoint, Redactor redactor) {
        this.bucket = bucket;
        this.endpoint = endpoint;
        this.redactor = redactor;
    }

    /** {@code where} is the location of the object or prefix; {@code write} picks the reason. */
    IOException translate(String what, String where, boolean write, Throwable e) {
        StoreException.Reason failed = write ? StoreException.Reason.WRITE_FAILED : StoreException.Reason.READ_FAILED;
        if (e instanceof S3Exception s) {
            int status = s.statusCode();
            String code = s.awsErrorDetails() == null || s.awsErrorDetails().errorCode() == null ? ""
                    : s.awsErrorDetails().errorCode();
            String message = s.awsErrorDetails() == null || s.awsErrorDetails().errorMessage() == null ? ""
                    : redactor.redact(s.awsErrorDetails().errorMessage());
            String lower = (code + " " + message).toLowerCase(Locale.ROOT);
            if (code.equals("NoSuchBucket")) {
                return new StoreException(StoreException.Reason.NOT_FOUND, where + ": the bucket " + bucket
                        + " does not exist: create it, or correct the location");
            }
            if (AUTH_CODES.contains(code) || status == 403) {
                return new StoreException(failed, where + ": access denied" + (code.isEmpty() ? "" : " (" + code + ")")
                        + " while " + what + ": check the credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or"
                        + " AWS_PROFILE) and the bucket's policy");
            }
            if (status == 301 || code.equals("PermanentRedirect") || code.equals("IncorrectEndpoint")) {
                return new StoreException(failed, where + ": the bucket " + bucket + " is in another region: set"
                        + " AWS_REGION to the bucket's region");
            }
            if (status == 501 || (status == 400 && (lower.contains("checksum") || lower.contains("chunked")
                    || lower.contains("trailer") || lower.contains("x-amz-content-sha256")
                    || lower.contains("x-amz-decoded")))) {
                return new StoreException(failed, where + ": the store rejected the request while " + what + " ("
                        + status + (code.isEmpty() ? "" : " " + code) + "), likely the SDK's checksum headers: set "
                        + S3Options.ENV_CHECKSUMS + "=when_required");
            }
            if (status >= 500 || status == 429 || code.equals("SlowDown") || code.equals("RequestTimeout")) {
                return new IOException(where + ": the store answered " + status + (code.isEmpty() ? "" : " " + code)
                        + " while " + what, e);
            }
            return new StoreException(failed, where + ": " + what + " failed: " + status
                    + (code.isEmpty() ? "" : " " + code) + (message.isEmpty() ? "" : " " + message), e);
        }
        Throwable root = rootCause(e);
        if (root instanceof SSLException) {
            return new StoreException(failed, where + ": TLS with " + endpoint + " failed (" + oneLine(root)
                    + "): if the endpoint uses a private CA, set AWS_CA_BUNDLE to its PEM file");
        }
        if (root instanceof UnknownHostException) {
            return new StoreException(failed, where + ": cannot resolve " + oneLine(root) + " (" + endpoint
                    + "): check AWS_ENDPOINT_URL and the bucket name");
        }
        if (root instanceof ConnectException || root instanceof NoRouteToHostException
                || root instanceof SocketTimeoutException) {
            return new IOException(where + ": cannot reach " + endpoint + " (" + oneLine(root) + ") while " + what
                    + ": check AWS_ENDPOINT_URL and the network", e);
        }
        if (e instanceof SdkClientException || e instanceof IOException) {
            return new IOException(where + ": " + what + " failed: " + redactor.redact(oneLine(e)), e);
        }
        if (e instanceof SdkException) {
            return new StoreException(failed, where + ": " + what + " failed: " + redactor.redact(oneLine(e)), e);
        }
        return new IOException(where + ": " + what + " failed: " + redactor.redact(oneLine(e)), e);
    }

    static boolean isNotFound(Throwable e) {
        if (e instanceof S3Exception s) {
            String code = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
            return s.statusCode() == 404 && !"NoSuchBucket".equals(code);
        }
        return false;
    }

    static boolean isPreconditionFailed(Throwable e) {
        // 409 ConditionalRequestConflict: another conditional write to the key is in progress
        return e instanceof S3Exception s && (s.statusCode() == 412 || s.statusCode() == 409);
    }

    static boolean isNoSuchUpload(Throwable e) {
        return e instanceof S3Exception s && s.awsErrorDetails() != null
                && "NoSuchUpload".equals(s.awsErrorDetails().errorCode());
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        int depth = 0;
        while (t.getCause() != null && t.getCause() != t && depth++ < 10) {
            t = t.getCause();
            if (t instanceof SSLException || t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException || t instanceof SocketTimeoutException) {
                return t;
            }
        }
        return e instanceof SSLException || e instanceof ConnectException || e instanceof UnknownHostException ? e : t;
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
        }
        return m.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
