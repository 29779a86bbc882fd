package dev.bbr.ssh;

import com.hierynomus.sshj.key.KeyAlgorithm;
import java.util.List;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.Config;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.common.LoggerFactory;
import net.schmizz.sshj.transport.cipher.Cipher;
import net.schmizz.sshj.transport.compression.Compression;
import net.schmizz.sshj.transport.kex.KeyExchange;
import net.schmizz.sshj.transport.mac.MAC;
import net.schmizz.sshj.transport.random.Random;
import net.schmizz.sshj.userauth.keyprovider.FileKeyProvider;

/**
 * A read-only view of the shared config with its own key algorithm list. A view rather than a
 * copy so the shared SecureRandom and factories are reused (a new DefaultConfig re-seeds).
 */
final class KeyAlgorithmsOverrideConfig implements Config {

    private final Config base;
    private final List<Factory.Named<KeyAlgorithm>> keyAlgorithms;

    KeyAlgorithmsOverrideConfig(Config base, List<Factory.Named<KeyAlgorithm>> keyAlgorithms) {
        this.base = base;
        this.keyAlgorithms = List.copyOf(keyAlgorithms);
    }

    @Override public List<Factory.Named<KeyAlgorithm>> getKeyAlgorithms() { return keyAlgorithms; }
    @Override public List<Factory.Named<Cipher>> getCipherFactories() { return base.getCipherFactories(); }
    @Override public List<Factory.Named<Compression>> getCompressionFactories() { return base.getCompressionFactories(); }
    @Override public List<Factory.Named<FileKeyProvider>> getFileKeyProviderFactories() { return base.getFileKeyProviderFactories(); }
    @Override public List<Factory.Named<KeyExchange>> getKeyExchangeFactories() { return base.getKeyExchangeFactories(); }
    @Override public List<Factory.Named<MAC>> getMACFactories() { return base.getMACFactories(); }
    @Override public Factory<Random> getRandomFactory() { return base.getRandomFactory(); }
    @Override public String getVersion() { return base.getVersion(); }
    @Override public boolean isVerifyHostKeyCertificates() { return base.isVerifyHostKeyCertificates(); }
    @Override public KeepAliveProvider getKeepAliveProvider() { return base.getKeepAliveProvider(); }
    @Override public boolean isWaitForServerIdentBeforeSendingClientIdent() { return base.isWaitForServerIdentBeforeSendingClientIdent(); }
    @Override public LoggerFactory getLoggerFactory() { return base.getLoggerFactory(); }
    @Override public int getMaxCircularBufferSize() { return base.getMaxCircularBufferSize(); }

    private static UnsupportedOperationException readOnly() {
        return new UnsupportedOperationException("per-connection view of the shared sshj config is read-only");
    }

    @Override public void setCipherFactories(List<Factory.Named<Cipher>> v) { throw readOnly(); }
    @Override public void setCompressionFactories(List<Factory.Named<Compression>> v) { throw readOnly(); }
    @Override public void setFileKeyProviderFactories(List<Factory.Named<FileKeyProvider>> v) { throw readOnly(); }
    @Override public void setKeyExchangeFactories(List<Factory.Named<KeyExchange>> v) { throw readOnly(); }
    @Override public void setMACFactories(List<Factory.Named<MAC>> v) { throw readOnly(); }
    @Override public void setRandomFactory(Factory<Random> v) { throw readOnly(); }
    @Override public void setKeyAlgorithms(List<Factory.Named<KeyAlgorithm>> v) { throw readOnly(); }
    @Override public void setVersion(String v) { throw readOnly(); }
    @Override public void setKeepAliveProvider(KeepAliveProvider v) { throw readOnly(); }
    @Override public void setWaitForServerIdentBeforeSendingClientIdent(boolean v) { throw readOnly(); }
    @Override public void setLoggerFactory(LoggerFactory v) { throw readOnly(); }
    @Override public void setVerifyHostKeyCertificates(boolean v) { throw readOnly(); }
    @Override public void setMaxCircularBufferSize(int v) { throw readOnly(); }
}
