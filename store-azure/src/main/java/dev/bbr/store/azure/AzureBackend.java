package dev.bbr.store.azure;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.options.BlockBlobStageBlockOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import dev.bbr.artifacts.store.ArtifactOutput;
import dev.bbr.artifacts.store.StoreException;
import dev.bbr.store.remote.ObjectBackend;
import dev.bbr.store.remote.PartSink;
import dev.bbr.store.remote.PartUploadOutput;
import dev.bbr.store.remote.RemoteLocation;
import dev.bbr.store.remote.TransferOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@link ObjectBackend} over one container and prefix. Small blobs are single Put Blob calls (atomic);
 * the run lock uses {@code If-None-Match: *} and {@code If-Match: <etag>}; artifacts are staged blocks
 * committed as one block list on close (an uncommitted blob is invisible to listings and reads).
 */
final class AzureBackend implements ObjectBackend {
    private static final Duration TIMEOUT = AzureSettings.tryTimeout();
    private final BlobContainerClient container;
    private final RemoteLocation root;
    private final TransferOptions transfer;
    private final AzureErrors errors;

    AzureBackend(BlobContainerClient container, RemoteLocation root, TransferOptions transfer, AzureErrors errors) {
        this.container = container;
        this.root = root;
        this.transfer = transfer;
        this.errors = errors;
    }

    TransferOptions transfer() {
        return transfer;
    }

    @Override
    public String describe(String key) {
        return root.describe(key);
    }

    private BlobClient blob(String key) {
        return container.getBlobClient(root.keyOf(key));
    }

    @Override
    public Optional<Versioned> read(String key) throws IOException {
        try {
            var response = blob(key).downloadContentWithResponse(null, null, TIMEOUT, Context.NONE);
            return Optional.of(new Versioned(response.getValue().toBytes(), response.getDeserializedHeaders().getETag()));
        } catch (RuntimeException e) {
            if (AzureErrors.blobMissing(e)) {
                return Optional.empty();
            }
            throw errors.translate("reading", describe(key), false, e);
        }
    }

    @Override
    public Optional<Long> size(String key) throws IOException {
        try {
            return Optional.of(blob(key).getProperties().getBlobSize());
        } catch (RuntimeException e) {
            if (AzureErrors.blobMissing(e)) {
                return Optional.empty();
            }
            throw errors.translate("reading the size", describe(key), false, e);
        }
    }

    @Override
    public InputStream openStream(String key) throws IOException {
        try {
            // ranged GETs of a part's size: 4 MiB ones (the default) were 2-3x slower against Azurite
            return blob(key).openInputStream(new BlobInputStreamOptions().setBlockSize(transfer.partSize()));
        } catch (RuntimeException e) {
            if (AzureErrors.blobMissing(e)) {
                throw new StoreException(StoreException.Reason.NOT_FOUND, "open " + describe(key)
                        + ": no such file or directory");
            }
            throw errors.translate("reading", describe(key), false, e);
        }
    }

    @Override
    public void write(String key, byte[] content) throws IOException {
        try {
            upload(key, BinaryData.fromBytes(content), null);
        } catch (RuntimeException e) {
            throw errors.translate("writing", describe(key), true, e);
        }
    }

    @Override
    public Optional<String> createIfAbsent(String key, byte[] content) throws IOException {
        try {
            return Optional.of(upload(key, BinaryData.fromBytes(content), new BlobRequestConditions().setIfNoneMatch("*")));
        } catch (RuntimeException e) {
            if (AzureErrors.is(e, 409) || AzureErrors.is(e, 412)) {
                return Optional.empty();
            }
            throw errors.translate("creating", describe(key), true, e);
        }
    }

    @Override
    public Optional<String> replaceIfMatch(String key, byte[] content, String expectedVersion) throws IOException {
        try {
            return Optional.of(upload(key, BinaryData.fromBytes(content),
                    new BlobRequestConditions().setIfMatch(expectedVersion)));
        } catch (RuntimeException e) {
            if (AzureErrors.is(e, 412) || AzureErrors.is(e, 409) || AzureErrors.blobMissing(e)) {
                return Optional.empty();
            }
            throw errors.translate("replacing", describe(key), true, e);
        }
    }

    private String upload(String key, BinaryData data, BlobRequestConditions conditions) {
        BlockBlobSimpleUploadOptions options = new BlockBlobSimpleUploadOptions(data);
        if (conditions != null) {
            options.setRequestConditions(conditions);
        }
        return blob(key).getBlockBlobClient().uploadWithResponse(options, TIMEOUT, Context.NONE).getValue().getETag();
    }

    @Override
    public void delete(String key) throws IOException {
        try {
            blob(key).deleteIfExists();
        } catch (RuntimeException e) {
            if (AzureErrors.blobMissing(e)) {
                return;
            }
            throw errors.translate("deleting", describe(key), true, e);
        }
    }

    @Override
    public List<String> listKeys(String prefix) throws IOException {
        try {
            List<String> keys = new ArrayList<>();
            for (BlobItem item : container.listBlobs(new ListBlobsOptions().setPrefix(root.keyOf(prefix)), TIMEOUT)) {
                keys.add(root.relative(item.getName()));
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
            String full = root.keyOf(prefix);
            TreeSet<String> names = new TreeSet<>();
            for (BlobItem item : container.listBlobsByHierarchy("/", new ListBlobsOptions().setPrefix(full), TIMEOUT)) {
                if (Boolean.TRUE.equals(item.isPrefix())) {
                    String child = item.getName().substring(full.length());
                    child = child.endsWith("/") ? child.substring(0, child.length() - 1) : child;
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
            return container.listBlobs(new ListBlobsOptions().setPrefix(root.keyOf(prefix)).setMaxResultsPerPage(1),
                    TIMEOUT).iterableByPage().iterator().next().getValue().size() > 0;
        } catch (RuntimeException e) {
            throw errors.translate("listing", describe(prefix), false, e);
        }
    }

    @Override
    public ArtifactOutput openUpload(String key) {
        return new PartUploadOutput(describe(key), new BlockSink(key), transfer);
    }

    @Override
    public void probe() throws StoreException {
        try {
            if (!container.exists()) {
                throw new StoreException(StoreException.Reason.NOT_FOUND, describe("") + ": the container "
                        + root.container() + " does not exist: create it, or correct the location");
            }
        } catch (RuntimeException e) {
            IOException t = errors.translate("opening the container", describe(""), false, e);
            throw t instanceof StoreException s ? s
                    : new StoreException(StoreException.Reason.READ_FAILED, t.getMessage(), e);
        }
    }

    /**
     * One artifact as staged blocks. Block ids are fixed per upload and part ({@code bbr-<nonce>-<part>},
     * base64, all the same length), so a retried part re-stages the same block and the commit lists them
     * in order; the commit requires that no blob of that name exists ({@code If-None-Match: *}).
     */
    private final class BlockSink implements PartSink {
        private final String key;
        private final String nonce = String.format(Locale.ROOT, "%08x", ThreadLocalRandom.current().nextInt());

        BlockSink(String key) {
            this.key = key;
        }

        private BlockBlobClient client() {
            return blob(key).getBlockBlobClient();
        }

        private String blockId(int part) {
            return Base64.getEncoder().encodeToString(String.format(Locale.ROOT, "bbr-%s-%08d", nonce, part)
                    .getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public void start() {
            // nothing: blocks are staged against the blob's name
        }

        @Override
        public void uploadPart(int number, long offset, byte[] data, int length) throws IOException {
            try {
                client().stageBlockWithResponse(new BlockBlobStageBlockOptions(blockId(number),
                        BinaryData.fromByteBuffer(ByteBuffer.wrap(data, 0, length))), TIMEOUT, Context.NONE);
            } catch (RuntimeException e) {
                throw errors.translate("staging block " + number, describe(key), true, e);
            }
        }

        @Override
        public void complete(int parts, long totalBytes) throws IOException {
            List<String> ids = new ArrayList<>();
            for (int n = 1; n <= parts; n++) {
                ids.add(blockId(n));
            }
            try {
                client().commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(ids)
                        .setRequestConditions(new BlobRequestConditions().setIfNoneMatch("*")), TIMEOUT, Context.NONE);
            } catch (RuntimeException e) {
                // a retry after a lost response: our commit is there
                if ((AzureErrors.is(e, 409) || AzureErrors.is(e, 412))
                        && size(key).filter(s -> s == totalBytes).isPresent()) {
                    return;
                }
                throw errors.translate("committing the block list", describe(key), true, e);
            }
        }

        @Override
        public void putWhole(byte[] data, int length) throws IOException {
            try {
                upload(key, BinaryData.fromByteBuffer(ByteBuffer.wrap(data, 0, length)),
                        new BlobRequestConditions().setIfNoneMatch("*"));
            } catch (RuntimeException e) {
                if ((AzureErrors.is(e, 409) || AzureErrors.is(e, 412))
                        && size(key).filter(s -> s == length).isPresent()) {
                    return;
                }
                throw errors.translate("uploading", describe(key), true, e);
            }
        }

        /**
         * Drops the staged blocks: committing an empty list discards every uncommitted block of the name,
         * then the empty blob goes (Azure would collect the blocks after 7 days anyway).
         */
        @Override
        public void abort() throws IOException {
            try {
                String etag = client().commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(List.of())
                        .setRequestConditions(new BlobRequestConditions().setIfNoneMatch("*")), TIMEOUT, Context.NONE)
                        .getValue().getETag();
                blob(key).deleteWithResponse(null, new BlobRequestConditions().setIfMatch(etag), TIMEOUT, Context.NONE);
            } catch (RuntimeException e) {
                if (AzureErrors.is(e, 409) || AzureErrors.is(e, 412) || AzureErrors.blobMissing(e)) {
                    return; // a blob of that name exists after all: not ours to remove
                }
                throw errors.translate("discarding the staged blocks", describe(key), true, e);
            }
        }
    }
}
