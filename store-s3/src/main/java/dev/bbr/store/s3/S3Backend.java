package dev.bbr.store.s3;

import dev.bbr.artifacts.store.ArtifactOutput;
import dev.bbr.artifacts.store.StoreException;
import dev.bbr.store.remote.ObjectBackend;
import dev.bbr.store.remote.PartSink;
import dev.bbr.store.remote.PartUploadOutput;
import dev.bbr.store.remote.RemoteLocation;
import dev.bbr.store.remote.TransferOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link ObjectBackend} over one bucket and prefix with the synchronous S3 client. Small objects are
 * single PutObjects (atomic on S3); the run lock uses conditional writes ({@code If-None-Match: *} to
 * create, {@code If-Match: <etag>} to refresh or take over); artifacts stream as multipart uploads.
 */
final class S3Backend implements ObjectBackend {
    private final S3Client s3;
    private final RemoteLocation root;
    private final TransferOptions transfer;
    private final S3Errors errors;
    private final java.time.Clock clock;
    private final java.time.Duration staleUploadAge;

    S3Backend(S3Client s3, RemoteLocation root, TransferOptions transfer, S3Errors errors, java.time.Clock clock,
              java.time.Duration staleUploadAge) {
        this.s3 = s3;
        this.root = root;
        this.transfer = transfer;
        this.errors = errors;
        this.clock = clock;
        this.staleUploadAge = staleUploadAge;
    }

    RemoteLocation root() {
        return root;
    }

    TransferOptions transfer() {
        return transfer;
    }

    @Override
    public String describe(String key) {
        return root.describe(key);
    }

    @Override
    public Optional<Versioned> read(String key) throws IOException {
        try {
            ResponseBytes<GetObjectResponse> bytes = s3.getObjectAsBytes(b -> b.bucket(root.container())
                    .key(root.keyOf(key)));
            return Optional.of(new Versioned(bytes.asByteArray(), bytes.response().eTag()));
        } catch (RuntimeException e) {
            if (S3Errors.isNotFound(e)) {
                return Optional.empty();
            }
            throw errors.translate("reading", describe(key), false, e);
        }
    }

    @Override
    public Optional<Long> size(String key) throws IOException {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(root.container()).key(root.keyOf(key))).contentLength());
        } catch (RuntimeException e) {
            if (S3Errors.isNotFound(e)) {
                return Optional.empty();
            }
            throw errors.translate("reading the size", describe(key), false, e);
        }
    }

    @Override
    public InputStream openStream(String key) throws IOException {
        try {
            ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(root.container())
                    .key(root.keyOf(key)));
            return in;
        } catch (RuntimeException e) {
            if (S3Errors.isNotFound(e)) {
                throw new StoreException(StoreException.Reason.NOT_FOUND, "open " + describe(key)
                        + ": no such file or directory");
            }
            throw errors.translate("reading", describe(key), false, e);
        }
    }

    @Override
    public void write(String key, byte[] content) throws IOException {
        try {
            s3.putObject(put(key, content.length).build(), body(content, content.length));
        } catch (RuntimeException e) {
            throw errors.translate("writing", describe(key), true, e);
        }
    }

    @Override
    public Optional<String> createIfAbsent(String key, byte[] content) throws IOException {
        try {
            return Optional.of(s3.putObject(put(key, content.length).ifNoneMatch("*").build(),
                    body(content, content.length)).eTag());
        } catch (RuntimeException e) {
            if (S3Errors.isPreconditionFailed(e)) {
                return Optional.empty();
            }
            throw errors.translate("creating", describe(key), true, e);
        }
    }

    @Override
    public Optional<String> replaceIfMatch(String key, byte[] content, String expectedVersion) throws IOException {
        try {
            return Optional.of(s3.putObject(put(key, content.length).ifMatch(expectedVersion).build(),
                    body(content, content.length)).eTag());
        } catch (RuntimeException e) {
            if (S3Errors.isPreconditionFailed(e) || S3Errors.isNotFound(e)) {
                return Optional.empty();
            }
            throw errors.translate("replacing", describe(key), true, e);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        try {
            s3.deleteObject(b -> b.bucket(root.container()).key(root.keyOf(key)));
        } catch (RuntimeException e) {
            if (S3Errors.isNotFound(e)) {
                return;
            }
            throw errors.translate("deleting", describe(key), true, e);
        }
    }

    @Override
    public List<String> listKeys(String prefix) throws IOException {
        try {
            List<String> keys = new ArrayList<>();
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(ListObjectsV2Request.builder()
                    .bucket(root.container()).prefix(root.keyOf(prefix)).build())) {
                for (S3Object o : page.contents()) {
                    keys.add(root.relative(o.key()));
                }
            }
            keys.sort(null);
            return keys;
        } catch (RuntimeException e) {
            throw errors.translate("listing", describe(prefix), false, e);
        }
    }

    @Override
    public List<String> listChildren(String prefix) throws IOException {
        try {
            TreeSet<String> names = new TreeSet<>();
            String full = root.keyOf(prefix);
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(ListObjectsV2Request.builder()
                    .bucket(root.container()).prefix(full).delimiter("/").build())) {
                for (CommonPrefix p : page.commonPrefixes()) {
                    String child = p.prefix().substring(full.length());
                    if (child.endsWith("/")) {
                        child = child.substring(0, child.length() - 1);
                    }
                    if (!child.isEmpty()) {
                        names.add(child);
                    }
                }
            }
            return new ArrayList<>(names);
        } catch (RuntimeException e) {
            throw errors.translate("listing", describe(prefix), false, e);
        }
    }

    @Override
    public boolean anyUnder(String prefix) throws IOException {
        try {
            return s3.listObjectsV2(b -> b.bucket(root.container()).prefix(root.keyOf(prefix)).maxKeys(1)).keyCount() > 0;
        } catch (RuntimeException e) {
            throw errors.translate("listing", describe(prefix), false, e);
        }
    }

    @Override
    public ArtifactOutput openUpload(String key) {
        return new PartUploadOutput(describe(key), new MultipartSink(key), transfer);
    }

    @Override
    public void probe() throws StoreException {
        try {
            s3.headBucket(b -> b.bucket(root.container()));
        } catch (RuntimeException e) {
            if (e instanceof software.amazon.awssdk.services.s3.model.S3Exception s && s.statusCode() == 404) {
                throw new StoreException(StoreException.Reason.NOT_FOUND, describe("") + ": the bucket "
                        + root.container() + " does not exist: create it, or correct the location");
            }
            IOException t = errors.translate("opening the bucket", describe(""), false, e);
            if (t instanceof StoreException se) {
                throw se;
            }
            throw new StoreException(StoreException.Reason.READ_FAILED, t.getMessage(), e);
        }
    }

    @Override
    public void cleanUpAfterDelete(String prefix) throws IOException {
        abortUploads(prefix, clock.instant().minus(staleUploadAge));
    }

    /** Aborts the incomplete multipart uploads under {@code prefix} started before {@code before}. */
    int abortUploads(String prefix, Instant before) throws IOException {
        int aborted = 0;
        try {
            for (var page : s3.listMultipartUploadsPaginator(b -> b.bucket(root.container())
                    .prefix(root.keyOf(prefix)))) {
                for (MultipartUpload u : page.uploads()) {
                    if (u.initiated() != null && u.initiated().isBefore(before)) {
                        try {
                            s3.abortMultipartUpload(b -> b.bucket(root.container()).key(u.key()).uploadId(u.uploadId()));
                            aborted++;
                        } catch (RuntimeException e) {
                            if (!S3Errors.isNoSuchUpload(e)) {
                                throw e;
                            }
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            throw errors.translate("aborting stale uploads", describe(prefix), true, e);
        }
        return aborted;
    }

    private PutObjectRequest.Builder put(String key, long length) {
        return PutObjectRequest.builder().bucket(root.container()).key(root.keyOf(key)).contentLength(length);
    }

    /** A body over the buffer without copying it; the SDK re-reads it for its own retries. */
    private static RequestBody body(byte[] data, int length) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(data, 0, length), length,
                "application/octet-stream");
    }

    /** One artifact's multipart upload: the same upload id and part numbers across retries. */
    private final class MultipartSink implements PartSink {
        private final String key;
        private final Map<Integer, String> etags = new ConcurrentHashMap<>();
        private volatile String uploadId;

        MultipartSink(String key) {
            this.key = key;
        }

        @Override
        public void start() throws IOException {
            if (uploadId != null) {
                return;
            }
            try {
                uploadId = s3.createMultipartUpload(b -> b.bucket(root.container()).key(root.keyOf(key))
                        .contentType("application/octet-stream")).uploadId();
            } catch (RuntimeException e) {
                throw errors.translate("starting the upload", describe(key), true, e);
            }
        }

        @Override
        public void uploadPart(int number, long offset, byte[] data, int length) throws IOException {
            try {
                String etag = s3.uploadPart(b -> b.bucket(root.container()).key(root.keyOf(key)).uploadId(uploadId)
                        .partNumber(number).contentLength((long) length), body(data, length)).eTag();
                etags.put(number, etag);
            } catch (RuntimeException e) {
                if (S3Errors.isNoSuchUpload(e)) {
                    throw new StoreException(StoreException.Reason.WRITE_FAILED, describe(key) + ": the multipart"
                            + " upload disappeared (aborted by a lifecycle rule or another run?)", e);
                }
                throw errors.translate("uploading part " + number, describe(key), true, e);
            }
        }

        @Override
        public void complete(int parts, long totalBytes) throws IOException {
            List<CompletedPart> completed = new ArrayList<>();
            for (int n = 1; n <= parts; n++) {
                completed.add(CompletedPart.builder().partNumber(n).eTag(etags.get(n)).build());
            }
            try {
                s3.completeMultipartUpload(b -> b.bucket(root.container()).key(root.keyOf(key)).uploadId(uploadId)
                        .multipartUpload(m -> m.parts(completed)));
            } catch (RuntimeException e) {
                // a retry after a lost response: the upload is gone because it completed
                if (S3Errors.isNoSuchUpload(e) && size(key).filter(s -> s == totalBytes).isPresent()) {
                    return;
                }
                throw errors.translate("completing the upload", describe(key), true, e);
            }
        }

        @Override
        public void putWhole(byte[] data, int length) throws IOException {
            try {
                s3.putObject(put(key, length).build(), body(data, length));
            } catch (RuntimeException e) {
                throw errors.translate("uploading", describe(key), true, e);
            }
        }

        @Override
        public void abort() throws IOException {
            if (uploadId == null) {
                return;
            }
            try {
                s3.abortMultipartUpload(b -> b.bucket(root.container()).key(root.keyOf(key)).uploadId(uploadId));
            } catch (RuntimeException e) {
                if (!S3Errors.isNoSuchUpload(e)) {
                    throw errors.translate("aborting the upload", describe(key), true, e);
                }
            }
        }
    }
}
