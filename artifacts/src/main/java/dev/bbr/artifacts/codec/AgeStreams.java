package dev.bbr.artifacts.codec;

import com.exceptionfactory.jagged.UnsupportedRecipientStanzaException;
import com.exceptionfactory.jagged.framework.stream.StandardDecryptingChannelFactory;
import com.exceptionfactory.jagged.framework.stream.StandardEncryptingChannelFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.security.GeneralSecurityException;
import java.security.SignatureException;
import java.security.spec.InvalidParameterSpecException;

/**
 * The age v1 layer (jagged): a header with one stanza per recipient, then the payload in 64 KiB
 * ChaCha20-Poly1305 chunks whose last one is flagged, so truncation, reordering and flipped bytes all
 * fail authentication. Memory is two chunk buffers whatever the size.
 */
final class AgeStreams {
    static final String PAYLOAD_DAMAGED = "age-encrypted data failed authentication: the file is truncated or was modified";
    static final String HEADER_DAMAGED = "not a readable age file, or its header is damaged";

    private AgeStreams() {
    }

    /** Writes the age header to {@code out} at once; closing the result writes the last chunk and closes {@code out}. */
    static OutputStream encrypt(OutputStream out, AgeRecipients recipients) throws IOException {
        try {
            return Channels.newOutputStream(new StandardEncryptingChannelFactory()
                    .newEncryptingChannel(StreamChannels.writable(out), recipients.stanzaWriters()));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot start age encryption: " + e.getMessage(), e);
        }
    }

    /**
     * Reads the header from {@code source} now: no identity able to unwrap the file key is a
     * {@link WrongIdentityException}, a header that is not age or was modified a {@link CorruptArtifactException}.
     */
    static InputStream decrypt(SourceWitness source, AgeIdentities identities) throws IOException {
        ReadableByteChannel plain;
        try {
            plain = new StandardDecryptingChannelFactory()
                    .newDecryptingChannel(StreamChannels.readable(source), identities.stanzaReaders());
        } catch (GeneralSecurityException e) {
            if (isIdentityMismatch(e)) {
                throw new WrongIdentityException("none of the given age identities (" + String.join(", ", identities.publicKeys())
                        + ") can decrypt this artifact: it was encrypted to other recipients", e);
            }
            throw new CorruptArtifactException(HEADER_DAMAGED + " (" + DamageReportingInputStream.rootMessage(e) + ")", e);
        } catch (IOException e) {
            throw DamageReportingInputStream.translate(e, source, HEADER_DAMAGED);
        } catch (IllegalArgumentException e) {
            // defensive: a garbled header must read as damage even if the library lets a parse error escape
            throw new CorruptArtifactException(HEADER_DAMAGED + " (" + e.getMessage() + ")", e);
        }
        return new DamageReportingInputStream(Channels.newInputStream(plain), source, PAYLOAD_DAMAGED);
    }

    /**
     * jagged reports "no stanza could be unwrapped" as UnsupportedRecipientStanzaException (per identity,
     * gathered as suppressed exceptions when there are several). The same exception type also wraps
     * header parse failures and a header MAC mismatch; those mean damage, not a wrong key.
     */
    static boolean isIdentityMismatch(Throwable e) {
        return e instanceof UnsupportedRecipientStanzaException && !containsHeaderDamage(e);
    }

    private static boolean containsHeaderDamage(Throwable e) {
        if (e instanceof SignatureException || e instanceof InvalidParameterSpecException
                || e.getClass().getSimpleName().equals("HeaderDecodingException")) {
            return true;
        }
        for (Throwable suppressed : e.getSuppressed()) {
            if (containsHeaderDamage(suppressed)) {
                return true;
            }
        }
        return e.getCause() != null && e.getCause() != e && containsHeaderDamage(e.getCause());
    }
}
