package dev.bbr.store.remote;

import java.io.IOException;

/**
 * The store side of one streaming upload, driven by {@link PartUploadOutput}: S3 multipart uploads,
 * Azure staged blocks, an SFTP {@code .partial} file written at offsets. Every call may be repeated
 * after a failure with the same arguments (the pipeline retries), so implementations keep the upload's
 * identity (upload id, block ids, the partial file) across attempts.
 *
 * <p>Throw {@link dev.bbr.artifacts.store.StoreException} for a failure that retrying cannot fix (access
 * denied, no such bucket); any other {@link IOException} is retried.
 */
public interface PartSink {

    /** Begins the upload before the first part (S3: CreateMultipartUpload). */
    void start() throws IOException;

    /**
     * Uploads part {@code number} (1-based), the bytes {@code [offset, offset + length)} of the artifact.
     * Called concurrently for different parts.
     */
    void uploadPart(int number, long offset, byte[] data, int length) throws IOException;

    /** Commits the {@code parts} parts in order under the final name. */
    void complete(int parts, long totalBytes) throws IOException;

    /** An artifact that fits in one part, uploaded and committed in one go (no {@link #start()}). */
    void putWhole(byte[] data, int length) throws IOException;

    /** Removes what was uploaded after {@link #start()}; best effort. */
    void abort() throws IOException;
}
