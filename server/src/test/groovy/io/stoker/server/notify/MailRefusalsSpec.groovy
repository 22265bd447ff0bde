package io.stoker.server.notify

import io.stoker.server.outbox.Delivery
import io.stoker.server.outbox.DeliveryState
import spock.lang.AutoCleanup
import spock.lang.Specification

import java.nio.charset.StandardCharsets
import java.time.Duration
import java.time.Instant

/**
 * What an SMTP server's refusal of a recipient means for a mail: a 4xx (greylisting, a full mailbox, a rate limit)
 * is "come back later" and the mail is tried again; a 5xx is final. The SMTP server is a small scripted peer on
 * 127.0.0.1 that answers RCPT TO with the code under test (GreenMail accepts every recipient).
 */
class MailRefusalsSpec extends Specification {
    @AutoCleanup('close') ScriptedSmtp smtp

    def "a recipient refused for now (#code) is sent again later; one refused for good is not"() {
        given:
        smtp = new ScriptedSmtp(reply)
        def transport = new MailTransport(new MailSettings('127.0.0.1', smtp.port, MailSettings.Security.NONE, null,
                null, null, 'stoker@example.org', Duration.ofSeconds(5)), { null })

        when:
        def outcome = transport.send(mail('dev@example.org'), null)

        then:
        outcome.error().contains("SMTP refused the recipient ($code)")
        outcome.error().contains(reply.substring(4))
        outcome.permanent() == permanent

        where:
        reply                                                      || permanent
        '450 4.2.0 <dev@example.org>: Recipient address rejected: Greylisted, try again later' || false
        '452 4.2.2 Mailbox full'                                   || false
        '550 5.1.1 <dev@example.org>: Recipient address rejected: User unknown' || true
        code = reply.substring(0, 3) as int
    }

    private static Delivery mail(String to) {
        new Delivery(1L, 'p-j-1', 'email', 'mailto:' + to,
                '{"to":"' + to + '","subject":"p/j #1 failed","text":"the log"}', 0, Instant.now(),
                DeliveryState.PENDING, null, null, Instant.now(), [], false)
    }

    /** Speaks just enough SMTP for one session per connection; RCPT TO is answered with {@code rcptReply}. */
    static class ScriptedSmtp implements Closeable {
        private final ServerSocket socket = new ServerSocket(0, 10, InetAddress.getByName('127.0.0.1'))
        private final Thread thread

        ScriptedSmtp(String rcptReply) {
            thread = Thread.ofPlatform().daemon().name('scripted-smtp').start {
                while (!socket.closed) {
                    Socket s
                    try {
                        s = socket.accept()
                    } catch (IOException ignored) {
                        return
                    }
                    s.withCloseable { serve(it, rcptReply) }
                }
            }
        }

        int getPort() {
            socket.localPort
        }

        private static void serve(Socket s, String rcptReply) {
            s.soTimeout = 10_000
            def in = new BufferedReader(new InputStreamReader(s.inputStream, StandardCharsets.US_ASCII))
            def out = s.outputStream
            def say = { String line -> out.write((line + '\r\n').getBytes(StandardCharsets.US_ASCII)); out.flush() }
            say('220 scripted.example ESMTP')
            String line
            while ((line = in.readLine()) != null) {
                String verb = line.toUpperCase(Locale.ROOT)
                if (verb.startsWith('EHLO') || verb.startsWith('HELO')) say('250 scripted.example')
                else if (verb.startsWith('MAIL')) say('250 2.1.0 Ok')
                else if (verb.startsWith('RCPT')) say(rcptReply)
                else if (verb.startsWith('QUIT')) { say('221 2.0.0 Bye'); return }
                else say('250 2.0.0 Ok') // RSET, NOOP
            }
        }

        @Override
        void close() {
            socket.close()
            thread.join(5_000)
        }
    }
}
