package dev.bbr.artifacts.codec;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines that matter in an age recipients or identity file: one entry per line, {@code #} comments
 * and blank lines ignored (age's format). Surrounding whitespace, including the CR of a file saved on
 * Windows, is dropped, where age itself would reject the line: a stray space is not worth a failed backup.
 */
final class KeyFileLines {
    record Line(int number, String text) {
    }

    private KeyFileLines() {
    }

    /** @param what "recipients file" or "identity file", for messages */
    static List<Line> read(Path file, String what) throws IOException {
        List<String> all;
        try {
            all = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException(what + " " + file + " does not exist", e);
        } catch (CharacterCodingException e) {
            throw new IOException(what + " " + file + " is not a text file (not UTF-8)", e);
        } catch (IOException e) {
            throw new IOException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
        }
        return entries(all);
    }

    static List<Line> entries(List<String> lines) {
        List<Line> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).strip();
            if (!text.isEmpty() && !text.startsWith("#")) {
                entries.add(new Line(i + 1, text));
            }
        }
        return entries;
    }
}
