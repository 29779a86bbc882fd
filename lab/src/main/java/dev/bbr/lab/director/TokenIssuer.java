package dev.bbr.lab.director;

import com.fasterxml.jackson.databind.ObjectMapper;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The lab's UAA: issues HS256-signed JWT access tokens for client_credentials and validates them
 * for the Director (signature + exp + jti), like the real Director checks UAA tokens.
 */
public final class TokenIssuer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private final byte[] key = new byte[32];
    private final Clock clock;
    private volatile long ttlSeconds;
    private final AtomicInteger issued = new AtomicInteger();

    public TokenIssuer(long ttlSeconds, Clock clock) {
        new SecureRandom().nextBytes(key);
        this.ttlSeconds = ttlSeconds;
        this.clock = clock;
    }

    public void ttlSeconds(long ttl) {
        this.ttlSeconds = ttl;
    }

    public long ttlSeconds() {
        return ttlSeconds;
    }

    public int issuedCount() {
        return issued.get();
    }

    /** Returns the token response body fields. */
    public Map<String, Object> issue(String clientId) {
        long nowMillis = clock.millis();
        long now = nowMillis / 1000;
        long ttl = ttlSeconds;
        // exp has whole-second precision: round up so a token always lives at least its TTL (a
        // 1 s token issued at 12.98 s would otherwise die at 13 s, before the client can use it)
        long exp = (nowMillis + ttl * 1000 + 999) / 1000;
        String jti = UUID.randomUUID().toString().replace("-", "");
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("jti", jti);
        claims.put("sub", clientId);
        claims.put("client_id", clientId);
        claims.put("cid", clientId);
        claims.put("scope", List.of("bosh.admin"));
        claims.put("grant_type", "client_credentials");
        claims.put("iat", now);
        claims.put("exp", exp);
        claims.put("iss", "https://lab-uaa/oauth/token");
        String token = sign(claims);
        issued.incrementAndGet();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token);
        body.put("token_type", "bearer");
        body.put("expires_in", ttl);
        body.put("scope", "bosh.admin");
        body.put("jti", jti);
        return body;
    }

    /** Valid iff our signature, a jti that is not a refresh token's, and exp strictly in the future. */
    public boolean valid(String token) {
        try {
            String[] parts = token.split("\\.");
            if (parts.length != 3) {
                return false;
            }
            byte[] expect = mac(parts[0] + "." + parts[1]);
            if (!MessageDigest.isEqual(expect, Base64.getUrlDecoder().decode(parts[2]))) {
                return false;
            }
            Map<?, ?> claims = JSON.readValue(Base64.getUrlDecoder().decode(parts[1]), Map.class);
            Object exp = claims.get("exp");
            Object jti = claims.get("jti");
            return exp instanceof Number n && n.longValue() > clock.millis() / 1000
                    && jti instanceof String s && !s.endsWith("-r");
        } catch (Exception e) {
            return false;
        }
    }

    private String sign(Map<String, Object> claims) {
        try {
            String header = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
            String payload = B64.encodeToString(JSON.writeValueAsBytes(claims));
            return header + "." + payload + "." + B64.encodeToString(mac(header + "." + payload));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] mac(String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }
}
