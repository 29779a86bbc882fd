package dev.bbr.ssh.proxy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * NO_PROXY matching for the socks5:// form: comma list of {@code *}, exact hosts, domains
 * ({@code .example.com} or {@code example.com} also match subdomains) and IP CIDR ranges.
 * Never resolves names: only IP literals are compared with CIDR ranges.
 */
final class NoProxyList {

    private final boolean all;
    private final List<String> names = new ArrayList<>();
    private final List<byte[][]> cidrs = new ArrayList<>(); // {network, mask}

    NoProxyList(String value) {
        boolean any = false;
        if (value != null) {
            for (String raw : value.split(",")) {
                String e = raw.trim().toLowerCase(Locale.ROOT);
                if (e.isEmpty()) {
                    continue;
                }
                if (e.equals("*")) {
                    any = true;
                } else if (e.contains("/")) {
                    addCidr(e);
                } else {
                    names.add(stripPort(e.startsWith("*.") ? e.substring(1) : e));
                }
            }
        }
        this.all = any;
    }

    boolean matches(String host) {
        if (all) {
            return true;
        }
        String h = unbracket(host.toLowerCase(Locale.ROOT));
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        for (String n : names) {
            if (n.startsWith(".")) {
                if (h.endsWith(n) || h.equals(n.substring(1))) {
                    return true;
                }
            } else if (h.equals(n) || h.endsWith("." + n)) {
                return true;
            }
        }
        byte[] ip = ipLiteral(h);
        if (ip != null) {
            for (byte[][] c : cidrs) {
                if (inRange(ip, c[0], c[1])) {
                    return true;
                }
            }
        }
        return false;
    }

    private void addCidr(String e) {
        int slash = e.indexOf('/');
        byte[] net = ipLiteral(e.substring(0, slash));
        if (net == null) {
            return; // not a CIDR we understand; ignore like Go's PerHost does with bad entries
        }
        int bits;
        try {
            bits = Integer.parseInt(e.substring(slash + 1));
        } catch (NumberFormatException ex) {
            return;
        }
        byte[] mask = new byte[net.length];
        for (int i = 0; i < mask.length; i++) {
            int b = Math.max(0, Math.min(8, bits - 8 * i));
            mask[i] = (byte) (0xff << (8 - b));
        }
        cidrs.add(new byte[][] {net, mask});
    }

    private static boolean inRange(byte[] ip, byte[] net, byte[] mask) {
        if (ip.length != net.length) {
            return false;
        }
        for (int i = 0; i < ip.length; i++) {
            if ((ip[i] & mask[i]) != (net[i] & mask[i])) {
                return false;
            }
        }
        return true;
    }

    /** Bytes of an IPv4/IPv6 literal, or null for names (never triggers DNS). */
    private static byte[] ipLiteral(String s) {
        String h = unbracket(s);
        boolean v4 = h.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = h.indexOf(':') >= 0 && h.matches("[0-9a-f:.%]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(h).getAddress(); // literal: parsed, not resolved
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static String unbracket(String h) {
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    /** "host:port" / "[v6]:port" / "[v6]" entries name the host only. */
    private static String stripPort(String e) {
        if (e.startsWith("[")) {
            int close = e.indexOf(']');
            return close > 0 ? e.substring(1, close) : e;
        }
        int colon = e.lastIndexOf(':');
        if (colon > 0 && e.indexOf(':') == colon && e.substring(colon + 1).matches("\\d+")) {
            return e.substring(0, colon);
        }
        return e;
    }
}
