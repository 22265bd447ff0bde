package io.stoker.agent.ssh

import org.apache.sshd.common.SshException
import org.apache.sshd.common.session.helpers.MissingAttachedSessionException
import spock.lang.Specification

/**
 * Why an agent could not be reached, as people read it. The SSH end-to-end case lives in SshAgentSpec; which of these
 * shapes a client meets there depends on who was faster, so each shape the library has shown is pinned here.
 */
class ConnectFailureSpec extends Specification {

    def "a port that hangs up before SSH began reads the same whichever way the library saw the close"() {
        expect:
        ConnectFailure.describe(failure, '127.0.0.1', 42363) ==
                "the connection to 127.0.0.1:42363 closed before SSH began (is that port an SSH server's?)"

        where:
        failure << [
                new SshException('DefaultConnectFuture[root@/127.0.0.1:42363]: Failed (MissingAttachedSessionException) to execute: '
                        + 'No session attached to Nio2Session[local=/127.0.0.1:46148, remote=/127.0.0.1:42363]',
                        new MissingAttachedSessionException('No session attached to Nio2Session[local=/127.0.0.1:46148, remote=/127.0.0.1:42363]')),
                new SshException('DefaultConnectFuture[root@/127.0.0.1:42363]: Failed (MissingAttachedSessionException) to execute: '
                        + 'No session attached to Nio2Session[local=/127.0.0.1:46148, remote=/127.0.0.1:42363]'),
                new SshException('Session is being closed'),
                new IOException('Broken pipe'),
                new IOException('Connection reset'),
        ]
    }

    def "a refused connection, an unknown name and a silent port each say what to check"() {
        expect:
        ConnectFailure.describe(failure, host, 22) == reason

        where:
        failure                                                          | host             || reason
        new SshException('x', new ConnectException('Connection refused')) | '127.0.0.1'      || "connection refused by 127.0.0.1:22 (is sshd running there?)"
        new SshException('x', new UnknownHostException('nosuch.invalid'))  | 'nosuch.invalid' || "unknown host 'nosuch.invalid' (the name does not resolve)"
        new SshException('DefaultConnectFuture[a@/h:22]: Failed to get operation result within specified timeout: 1000') | 'h' || 'no answer from h:22 in time'
    }

    def "whatever else the library says reaches people without its class names"() {
        expect:
        ConnectFailure.describe(new SshException('DefaultAuthFuture[ssh-connection]: Failed (IllegalStateException) to execute: something odd'),
                'h', 22) == 'Failed to execute: something odd'
    }
}
