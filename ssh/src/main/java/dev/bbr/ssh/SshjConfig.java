package dev.bbr.ssh;

import com.hierynomus.sshj.transport.cipher.BlockCiphers;
import com.hierynomus.sshj.transport.cipher.GcmCiphers;
import com.hierynomus.sshj.transport.mac.Macs;
import java.security.Security;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.common.SecurityUtils;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The one sshj configuration used by every SSH client in the process.
 *
 * <p>Why this exists (measured, see docs/performance.md): when sshj finds BouncyCastle it pins "BC" as the JCA
 * provider for every cipher and MAC, and BC has no AES-NI/CLMUL — measured 4.5–5× slower than
 * SunJCE. We therefore append BC at the lowest priority (so ECDSA "ECDSA" KeyFactory lookups still
 * resolve) and tell sshj not to pin it, so SunJCE serves AES-GCM/CTR and HMAC.
 */
public final class SshjConfig {

    private SshjConfig() {
    }

    /** Lazily built on first use; class-holder idiom gives thread-safe one-time init. */
    private static final class Holder {
        static final DefaultConfig SHARED = build();
    }

    /** The shared, fast configuration. Callers must not mutate it. */
    public static DefaultConfig shared() {
        return Holder.SHARED;
    }

    /**
     * Installs the JCA providers the way sshj must see them. Idempotent. Must run before any sshj
     * class consults SecurityUtils, which is why {@link #shared()} and {@link SshKey} call it first.
     */
    static synchronized void installProviders() {
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            // addProvider appends = lowest priority; never insertProviderAt(bc, 1) (slow SHA-256 everywhere).
            Security.addProvider(new BouncyCastleProvider());
        }
        SecurityUtils.setRegisterBouncyCastle(false);
    }

    private static DefaultConfig build() {
        installProviders();
        DefaultConfig cfg = new DefaultConfig();
        // AES first (SunJCE + AES-NI); chacha20 dropped because it is BC-only and ~3x slower.
        cfg.setCipherFactories(
                GcmCiphers.AES128GCM(), GcmCiphers.AES256GCM(),
                BlockCiphers.AES128CTR(), BlockCiphers.AES192CTR(), BlockCiphers.AES256CTR());
        cfg.setMACFactories(
                Macs.HMACSHA2256Etm(), Macs.HMACSHA2512Etm(),
                Macs.HMACSHA2256(), Macs.HMACSHA2512(), Macs.HMACSHA1());
        // KEEP_ALIVE (keepalive@openssh.com with want-reply) detects dead peers; the default
        // HEARTBEAT (SSH_MSG_IGNORE) only keeps NATs open.
        cfg.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
        return cfg;
    }
}
