package dev.bbr.cli.ops;

import dev.bbr.artifacts.codec.AgeRecipients;
import dev.bbr.artifacts.codec.ArtifactCodec;
import dev.bbr.artifacts.codec.Compression;
import dev.bbr.cli.command.BbrCommands;
import dev.bbr.cli.command.ResolvedFlags;
import java.io.IOException;
import java.nio.file.Path;

/** The at-rest codec a backup's flags ask for: {@code --compress}, {@code --encrypt-to}, {@code --recipients-file}. */
public final class CodecFlags {
    private CodecFlags() {}

    /**
     * The codec; plain when none of the flags is given, so the backup is the Go bbr's.
     *
     * @throws IllegalArgumentException naming the flag value that is wrong and what was expected
     * @throws IOException when a recipients file cannot be read
     */
    public static ArtifactCodec codec(ResolvedFlags flags, Path workingDirectory) throws IOException {
        Compression compression;
        try {
            compression = Compression.parse(flags.string(BbrCommands.COMPRESS));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--compress: " + e.getMessage());
        }
        AgeRecipients recipients;
        try {
            recipients = AgeRecipients.parse(flags.strings(BbrCommands.ENCRYPT_TO));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--encrypt-to: " + e.getMessage());
        }
        for (String file : flags.strings(BbrCommands.RECIPIENTS_FILE)) {
            recipients = recipients.and(AgeRecipients.readFile(workingDirectory.resolve(file)));
        }
        return ArtifactCodec.of(compression, recipients);
    }
}
