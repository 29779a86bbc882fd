package dev.bbr.cli.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * A copy of a good backup whose {@code db-0-data.tar} gains extra entries, with the metadata's
 * checksums rewritten to match: an artifact that passes every checksum and is hostile (or merely
 * odd) only in what it would extract. Names are written as ISO-8859-1, so a name can carry any byte.
 */
final class CraftedArtifact {
    static final String TAR = "db-0-data.tar";

    /** One extra entry: a regular file (content), a symlink (linkTarget) or a character device. */
    record Extra(String name, byte[] content, String linkTarget, boolean device) {
        static Extra file(String name, String content) {
            return new Extra(name, content.getBytes(java.nio.charset.StandardCharsets.UTF_8), null, false);
        }

        static Extra symlink(String name, String target) {
            return new Extra(name, null, target, false);
        }

        static Extra device(String name) {
            return new Extra(name, null, null, true);
        }
    }

    private CraftedArtifact() {}

    static Path craft(Path goodBackup, Path into, List<Extra> extras) throws IOException {
        Path copy = RestoreE2eSupport.copyBackup(goodBackup, into);
        Path tar = copy.resolve(TAR);
        Path rewritten = copy.resolve(TAR + ".new");
        try (InputStream in = Files.newInputStream(tar);
             TarArchiveInputStream source = new TarArchiveInputStream(in, "ISO-8859-1");
             OutputStream out = Files.newOutputStream(rewritten);
             TarArchiveOutputStream target = new TarArchiveOutputStream(out, "ISO-8859-1")) {
            target.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
            TarArchiveEntry e;
            while ((e = source.getNextEntry()) != null) {
                target.putArchiveEntry(e);
                source.transferTo(target);
                target.closeArchiveEntry();
            }
            for (Extra x : extras) {
                TarArchiveEntry entry;
                if (x.linkTarget() != null) {
                    entry = new TarArchiveEntry(x.name(), TarConstants.LF_SYMLINK);
                    entry.setLinkName(x.linkTarget());
                } else if (x.device()) {
                    entry = new TarArchiveEntry(x.name(), TarConstants.LF_CHR);
                    entry.setDevMajor(1);
                    entry.setDevMinor(3);
                } else {
                    entry = new TarArchiveEntry(x.name(), true); // keep a leading "/": that is the attack
                    entry.setSize(x.content().length);
                }
                target.putArchiveEntry(entry);
                if (x.content() != null) {
                    target.write(x.content());
                }
                target.closeArchiveEntry();
            }
        }
        Files.move(rewritten, tar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        rewriteChecksums(copy, regularFileChecksums(tar));
        // bbr for Java's record of each tar's size and digest would give the game away at once; a
        // hostile artifact simply comes without it, as every Go bbr artifact does
        Files.deleteIfExists(copy.resolve("bbr-sidecar.json"));
        return copy;
    }

    /** Entry name (as bbr keys it, decoded as UTF-8 by the VM's sha256sum output) → SHA-256. */
    private static Map<String, String> regularFileChecksums(Path tar) throws IOException {
        Map<String, String> sums = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(tar);
             TarArchiveInputStream t = new TarArchiveInputStream(in, "UTF-8")) {
            TarArchiveEntry e;
            while ((e = t.getNextEntry()) != null) {
                if (e.isFile() && !e.isLink() && !e.isSymbolicLink()) {
                    java.security.MessageDigest d = sha256();
                    byte[] buf = new byte[8192];
                    int n;
                    while ((n = t.read(buf)) > 0) {
                        d.update(buf, 0, n);
                    }
                    sums.put(e.getName(), java.util.HexFormat.of().formatHex(d.digest()));
                }
            }
        }
        return sums;
    }

    @SuppressWarnings("unchecked")
    private static void rewriteChecksums(Path backup, Map<String, String> sums) throws IOException {
        Path metadata = backup.resolve("metadata");
        Map<String, Object> m = new Yaml().load(Files.readString(metadata));
        for (Map<String, Object> instance : (List<Map<String, Object>>) m.get("instances")) {
            if (instance.get("name").equals("db") && String.valueOf(instance.get("index")).equals("0")) {
                for (Map<String, Object> artifact : (List<Map<String, Object>>) instance.get("artifacts")) {
                    if (artifact.get("name").equals("data")) {
                        artifact.put("checksums", new LinkedHashMap<>(sums));
                    }
                }
            }
        }
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setWidth(Integer.MAX_VALUE);
        Files.writeString(metadata, new Yaml(o).dump(m));
    }

    private static java.security.MessageDigest sha256() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Extra> list(Extra... extras) {
        return new ArrayList<>(List.of(extras));
    }
}
