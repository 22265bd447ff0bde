package io.stoker.server.notify;

import io.stoker.server.outbox.Delivery;
import io.stoker.server.outbox.Transport;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

import java.util.Date;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * Sends a notification mail over SMTP (Jakarta Mail, Eclipse Angus) with the server's {@link MailSettings}. Every
 * attempt has connect, read and write timeouts, and runs on the outbox's threads, so a dead SMTP server only delays
 * its own mail. An address the server refuses for good (5xx) is not retried; anything else is, a recipient
 * refused for now (4xx: greylisting, a full mailbox) too.
 */
public final class MailTransport implements Transport {
    private final MailSettings settings;
    private final Supplier<String> password;

    /** @param password the SMTP password (from the environment or a secret), read at each attempt; may give null */
    public MailTransport(MailSettings settings, Supplier<String> password) {
        this.settings = settings;
        this.password = password;
    }

    @Override
    public Outcome send(Delivery d, String authorization) {
        if (!settings.configured()) return Outcome.retry("no SMTP server is configured (STOKER_SMTP_HOST)");
        Payloads.Mail mail = Payloads.Mail.read(d.payload());
        try {
            Session session = Session.getInstance(properties());
            MimeMessage m = new MimeMessage(session);
            m.setFrom(new InternetAddress(settings.from()));
            m.setRecipients(Message.RecipientType.TO, InternetAddress.parse(mail.to(), true));
            m.setSubject(mail.subject(), "UTF-8");
            m.setText(mail.text(), "UTF-8");
            m.setSentDate(new Date());
            m.setHeader("X-Stoker-Delivery", Long.toString(d.id()));
            try (jakarta.mail.Transport t = session.getTransport(settings.security() == MailSettings.Security.TLS ? "smtps" : "smtp")) {
                if (settings.user() != null) t.connect(settings.host(), settings.port(), settings.user(), password.get());
                else t.connect(settings.host(), settings.port(), null, null);
                t.sendMessage(m, m.getAllRecipients());
            }
            return Outcome.ACCEPTED;
        } catch (SMTPSendFailedException e) {
            String error = "SMTP " + e.getReturnCode() + ": " + oneLine(e.getMessage());
            return e.getReturnCode() >= 500 ? Outcome.refused(error) : Outcome.retry(error);
        } catch (SendFailedException e) {
            // each refused recipient is a nested exception with its own reply code: 4xx (greylisting, a full
            // mailbox, a rate limit) asks to come back later, only 5xx is final
            SMTPAddressFailedException refused = firstRefused(e);
            int code = refused == null ? 0 : refused.getReturnCode();
            String error = "SMTP refused the recipient" + (code > 0 ? " (" + code + ")" : "") + ": "
                    + oneLine(refused == null ? e.getMessage() : refused.getMessage());
            return code >= 400 && code < 500 ? Outcome.retry(error) : Outcome.refused(error);
        } catch (MessagingException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return Outcome.retry("SMTP " + cause.getClass().getSimpleName().replace("Exception", "") + ": "
                    + oneLine(cause.getMessage()));
        }
    }

    private Properties properties() {
        String p = settings.security() == MailSettings.Security.TLS ? "mail.smtps." : "mail.smtp.";
        Properties props = new Properties();
        String ms = Long.toString(settings.timeout().toMillis());
        props.put(p + "host", settings.host());
        props.put(p + "port", Integer.toString(settings.port()));
        props.put(p + "connectiontimeout", ms);
        props.put(p + "timeout", ms);
        props.put(p + "writetimeout", ms);
        props.put(p + "auth", Boolean.toString(settings.user() != null));
        if (settings.security() == MailSettings.Security.STARTTLS) {
            props.put(p + "starttls.enable", "true");
            props.put(p + "starttls.required", "true");
        }
        if (settings.security() != MailSettings.Security.NONE) props.put(p + "ssl.checkserveridentity", "true");
        return props;
    }

    /** The first refused recipient's own exception, with the server's reply code; null when there is none. */
    private static SMTPAddressFailedException firstRefused(SendFailedException e) {
        for (Exception next = e.getNextException(); next != null;
             next = next instanceof MessagingException m ? m.getNextException() : null) {
            if (next instanceof SMTPAddressFailedException failed) return failed;
        }
        return null;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }
}
