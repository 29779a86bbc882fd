package dev.bbr.service.notify;

import dev.bbr.service.config.ServiceConfig;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Properties;

/** Sends the notification as a plain-text email over SMTP (Angus Mail), once: mail servers queue and retry. */
public final class EmailNotifier implements Notifier {
    private final ServiceConfig.Email config;

    public EmailNotifier(ServiceConfig.Email config) {
        this.config = config;
    }

    @Override
    public String channel() {
        return "email";
    }

    @Override
    public void send(Notification notification) throws NotifyException {
        Properties props = new Properties();
        String protocol = config.tls() == ServiceConfig.Email.Tls.SSL ? "smtps" : "smtp";
        props.put("mail.transport.protocol", protocol);
        props.put("mail." + protocol + ".host", config.host());
        props.put("mail." + protocol + ".port", Integer.toString(config.port()));
        props.put("mail." + protocol + ".auth", Boolean.toString(config.username().isPresent()));
        long timeout = config.timeout().toMillis();
        props.put("mail." + protocol + ".connectiontimeout", Long.toString(timeout));
        props.put("mail." + protocol + ".timeout", Long.toString(timeout));
        props.put("mail." + protocol + ".writetimeout", Long.toString(timeout));
        if (config.tls() == ServiceConfig.Email.Tls.STARTTLS) {
            props.put("mail.smtp.starttls.enable", "true");
            props.put("mail.smtp.starttls.required", "true");
        }
        Session session = Session.getInstance(props);
        try {
            MimeMessage message = new MimeMessage(session);
            message.setFrom(new InternetAddress(config.from()));
            for (String to : config.to()) {
                message.addRecipient(Message.RecipientType.TO, new InternetAddress(to));
            }
            message.setSubject(notification.subject(), StandardCharsets.UTF_8.name());
            message.setText(notification.text(), StandardCharsets.UTF_8.name());
            message.setSentDate(new Date());
            try (Transport transport = session.getTransport(protocol)) {
                transport.connect(config.host(), config.port(), config.username().orElse(null),
                        config.password().map(p -> p.reveal()).orElse(null));
                transport.sendMessage(message, message.getAllRecipients());
            }
        } catch (MessagingException e) {
            throw new NotifyException("the email could not be sent through " + config.host() + ":" + config.port()
                    + ": " + e.getMessage(), 1, e);
        }
    }
}
