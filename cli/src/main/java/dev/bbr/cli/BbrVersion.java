package dev.bbr.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version stamped into the build (Maven resource filtering); printed and passed as BBR_VERSION. */
public final class BbrVersion {
    private static final String VERSION = load();

    private BbrVersion() {}

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = BbrVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties props = new Properties();
            props.load(in);
            return props.getProperty("version", "dev");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
