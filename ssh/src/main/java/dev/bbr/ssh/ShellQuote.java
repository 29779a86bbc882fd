package dev.bbr.ssh;

/** POSIX shell quoting, so paths and values reach remote commands as single literal words. */
public final class ShellQuote {

    private ShellQuote() {
    }

    /**
     * Wraps {@code s} in single quotes; an embedded quote becomes {@code '\''} (close, escaped
     * quote, reopen). Inside single quotes nothing else is special, newlines included.
     */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('\'');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'') {
                b.append("'\\''");
            } else {
                b.append(c);
            }
        }
        return b.append('\'').toString();
    }
}
