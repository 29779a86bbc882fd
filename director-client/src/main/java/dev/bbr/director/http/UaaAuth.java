package dev.bbr.director.http;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Client-credentials session against UAA: one cached token, fetched lazily, replaced after a 401
 * (bosh-cli behaviour) and also shortly before {@code expires_in} runs out, so long backups do not
 * rely on a 401 round trip every ten minutes.
 */
public final class UaaAuth implements AuthScheme {
    static final Duration EARLY_REFRESH = Duration.ofSeconds(30);

    private final UaaTokenClient tokens;
    private final LongSupplier nanoClock;
    private String header;
    private long refreshAtNanos = Long.MAX_VALUE;

    public UaaAuth(UaaTokenClient tokens) {
        this(tokens, System::nanoTime);
    }

    UaaAuth(UaaTokenClient tokens, LongSupplier nanoClock) {
        this.tokens = tokens;
        this.nanoClock = nanoClock;
    }

    @Override
    public synchronized String header() {
        if (header == null || nanoClock.getAsLong() - refreshAtNanos >= 0) {
            renew();
        }
        return header;
    }

    @Override
    public synchronized String afterUnauthorized(String rejected) {
        // Another thread may already have replaced the token that was rejected; reuse theirs.
        if (header == null || header.equals(rejected)) {
            renew();
        }
        return header;
    }

    private void renew() {
        UaaTokenClient.Token token = tokens.fetch();
        header = token.authorizationHeader();
        Duration ttl = token.expiresIn();
        refreshAtNanos = ttl == null || ttl.compareTo(EARLY_REFRESH.multipliedBy(2)) < 0
                ? Long.MAX_VALUE // unknown or very short lifetime: rely on 401 handling alone
                : nanoClock.getAsLong() + ttl.minus(EARLY_REFRESH).toNanos();
    }

    @Override
    public String toString() {
        return "UaaAuth[" + tokens.tokenUrl() + "]";
    }
}
