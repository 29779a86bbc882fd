package dev.bbr.store.remote;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Removes known secrets (secret keys, session tokens, SAS signatures, passwords) from text that may
 * reach an operator: adapters build their own messages, and this is the safety net for any text taken
 * from an SDK or server error.
 */
public final class Redactor {
    private final List<String> secrets;

    public Redactor(Collection<String> secrets) {
        List<String> list = new ArrayList<>();
        for (String s : secrets) {
            if (s != null && s.length() >= 4) {
                list.add(s);
                String encoded = java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
                if (!encoded.equals(s)) {
                    list.add(encoded);
                }
            }
        }
        list.sort(Comparator.comparingInt(String::length).reversed());
        this.secrets = List.copyOf(list);
    }

    public static Redactor none() {
        return new Redactor(List.of());
    }

    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, "****");
        }
        // SAS signatures and signed URLs, whoever's they are
        out = out.replaceAll("(?i)(sig|signature|x-amz-signature|x-amz-security-token)=[^&\\s\"']+", "$1=****");
        return out;
    }

    public boolean isEmpty() {
        return secrets.isEmpty();
    }

    @Override
    public String toString() {
        return "Redactor[" + secrets.size() + " secrets]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Redactor r && Objects.equals(r.secrets, secrets);
    }

    @Override
    public int hashCode() {
        return secrets.hashCode();
    }
}
