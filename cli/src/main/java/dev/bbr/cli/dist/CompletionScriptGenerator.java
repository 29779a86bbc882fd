package dev.bbr.cli.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.bbr.cli.BbrCli;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * Build-time tool (run by the exec-maven-plugin in {@code prepare-package}): writes the bash completion
 * script for the whole {@code bbr} command tree to the file named by its only argument.
 */
public final class CompletionScriptGenerator {
    private CompletionScriptGenerator() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: CompletionScriptGenerator <output file>");
        }
        Path out = Path.of(args[0]);
        CommandLine commandLine = BbrCli.commandLine();
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(out, AutoComplete.bash("bbr", commandLine), StandardCharsets.UTF_8);
    }
}
