package dev.bbr.artifacts.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Runs real GNU tools so tests exercise the exact bytes Go bbr and the VMs produce. */
public final class Shell {
    private Shell() {
    }

    /** {@code tar -C dir -cf - .} (bbr's remote command), plus extra flags (e.g. --format=posix). */
    public static byte[] tar(Path dir, String... extraFlags) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("tar"));
        command.addAll(List.of(extraFlags));
        command.addAll(List.of("-C", dir.toString(), "-cf", "-", "."));
        return run(command);
    }

    /** Writes {@code tar -C dir -cf file .} like a Go bbr artifact. */
    public static Path tarTo(Path dir, Path file, String... extraFlags) throws IOException {
        Files.write(file, tar(dir, extraFlags));
        return file;
    }

    public static byte[] bash(String script) throws IOException {
        return run(List.of("bash", "-c", script));
    }

    public static byte[] run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        byte[] stdout = readAll(process.getInputStream());
        try {
            int exit = process.waitFor();
            if (exit != 0) {
                throw new IOException(command + " exited " + exit + ": "
                        + new String(stderr.join(), StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return stdout;
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static String sha256(byte[] content) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(Path file) throws IOException {
        return sha256(Files.readAllBytes(file));
    }
}
