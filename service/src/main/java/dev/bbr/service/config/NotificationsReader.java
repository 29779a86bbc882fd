package dev.bbr.service.config;

import dev.bbr.service.config.ServiceConfig.Email;
import dev.bbr.service.config.ServiceConfig.Notifications;
import dev.bbr.service.config.ServiceConfig.Webhook;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** {@code notifications}: the webhook, email, whether successes are told too, and the daily digest. */
final class NotificationsReader {
    private final Secrets secrets;

    NotificationsReader(Secrets secrets) {
        this.secrets = secrets;
    }

    Notifications read(ConfigNode node) {
        node.allowOnly(Set.of("on_success", "webhook", "email", "digest"));
        boolean onSuccess = node.bool("on_success", false);
        Optional<Webhook> webhook = node.child("webhook").flatMap(this::webhook);
        Optional<Email> email = node.child("email").flatMap(this::email);
        var digest = node.child("digest").flatMap(d -> {
            d.allowOnly(Set.of("schedule", "time_zone"));
            return ConfigLoader.schedule(d, "schedule", "time_zone", true);
        });
        if (digest.isPresent() && webhook.isEmpty() && email.isEmpty()) {
            node.problem("digest", "a digest needs a webhook or email to go to");
        }
        return new Notifications(onSuccess, webhook, email, digest);
    }

    private Optional<Webhook> webhook(ConfigNode node) {
        Set<String> known = new LinkedHashSet<>(List.of("attempts", "timeout", "backoff"));
        known.addAll(Secrets.keys("url"));
        node.allowOnly(known);
        Optional<Secret> url = secrets.readAllowingPlain(node, "url", true, "where to POST");
        url.map(Secret::reveal).filter(u -> !u.startsWith("http://") && !u.startsWith("https://"))
                .ifPresent(u -> node.problem("url", "expected an http:// or https:// URL"));
        int attempts = node.integer("attempts", 3, 1);
        Duration timeout = node.parsed("timeout", Durations::parse).orElse(Duration.ofSeconds(10));
        Duration backoff = node.parsed("backoff", Durations::parse).orElse(Duration.ofSeconds(2));
        return url.map(u -> new Webhook(u, attempts, timeout, backoff));
    }

    private Optional<Email> email(ConfigNode node) {
        Set<String> known = new LinkedHashSet<>(List.of("host", "port", "tls", "username", "from", "to", "timeout"));
        known.addAll(Secrets.keys("password"));
        node.allowOnly(known);
        String host = node.requiredString("host", "the SMTP server");
        Email.Tls tls = node.parsed("tls", NotificationsReader::tls).orElse(Email.Tls.STARTTLS);
        int port = node.integer("port", tls == Email.Tls.SSL ? 465 : 587, 1);
        Optional<String> username = node.string("username");
        Optional<Secret> password = secrets.read(node, "password", false, "the SMTP password");
        if (username.isPresent() != password.isPresent()) {
            node.problem(username.isPresent() ? "password_env" : "username",
                    "give both username and password (password_env or password_file), or neither");
        }
        String from = node.requiredString("from", "the sender address");
        List<String> to = node.strings("to");
        if (to.isEmpty()) {
            node.problem("to", "missing: at least one recipient address");
        }
        for (String address : to) {
            if (!address.contains("@")) {
                node.problem("to", "\"" + address + "\" is not an email address");
            }
        }
        Duration timeout = node.parsed("timeout", Durations::parse).orElse(Duration.ofSeconds(30));
        if (host.isEmpty() || from.isEmpty() || to.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Email(host, port, tls, username, password, from, to, timeout));
    }

    private static Email.Tls tls(String raw) {
        try {
            return Email.Tls.valueOf(raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + raw + "\": give starttls, ssl or none");
        }
    }
}
