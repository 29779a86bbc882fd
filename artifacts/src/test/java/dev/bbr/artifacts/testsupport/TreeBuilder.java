package dev.bbr.artifacts.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Builds a directory tree and computes the checksum map `find . -type f` + sha256 would give, in Java. */
public final class TreeBuilder {
    private final Path root;

    public TreeBuilder(Path root) throws IOException {
        this.root = Files.createDirectories(root);
    }

    public TreeBuilder file(String relative, String content) throws IOException {
        return file(relative, content.getBytes(StandardCharsets.UTF_8));
    }

    public TreeBuilder file(String relative, byte[] content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        return this;
    }

    public TreeBuilder dir(String relative) throws IOException {
        Files.createDirectories(root.resolve(relative));
        return this;
    }

    public Path root() {
        return root;
    }

    /** ./-prefixed relative path → sha256 of every regular file (symlinks not followed), like find -type f. */
    public Map<String, String> expectedChecksums() throws IOException {
        Map<String, String> result = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    result.put("./" + root.relativize(p).toString(), Shell.sha256(p));
                }
            }
        }
        return result;
    }
}
