package io.stoker.server.git

import org.apache.sshd.common.config.keys.KeyUtils
import org.apache.sshd.common.config.keys.PublicKeyEntry
import org.apache.sshd.common.keyprovider.KeyPairProvider
import org.apache.sshd.server.Environment
import org.apache.sshd.server.ExitCallback
import org.apache.sshd.server.SshServer
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator
import org.apache.sshd.server.channel.ChannelSession
import org.apache.sshd.server.command.Command
import org.apache.sshd.server.command.CommandFactory

import java.nio.file.Path
import java.security.KeyPair
import java.security.KeyPairGenerator
import java.security.PublicKey
import java.security.spec.ECGenParameterSpec

/**
 * A real SSH server (Apache MINA sshd) on 127.0.0.1 serving the bare repositories under {@code root} with the real
 * {@code git upload-pack}/{@code git receive-pack}. It accepts one client public key; its host key can be replaced
 * while it runs ({@link #changeHostKey}) to play a host whose key changed.
 */
class GitSshServer implements Closeable {
    final Path root
    private final SshServer sshd
    private volatile KeyPair hostKey = newKey()

    GitSshServer(Path root, String clientPublicKey) {
        this.root = root
        PublicKey allowed = PublicKeyEntry.parsePublicKeyEntry(clientPublicKey).resolvePublicKey(null, null, null)
        sshd = SshServer.setUpDefaultServer()
        sshd.host = '127.0.0.1'
        sshd.port = 0
        sshd.keyPairProvider = { ctx -> [hostKey] } as KeyPairProvider
        sshd.publickeyAuthenticator = { user, key, session -> KeyUtils.compareKeys(key, allowed) } as PublickeyAuthenticator
        sshd.commandFactory = { ChannelSession channel, String command -> new GitCommand(root, command) } as CommandFactory
        sshd.start()
    }

    int port() { sshd.port }

    /** The {@code ssh://} URL of a repository under the root. */
    String url(String relative) {
        "ssh://git@127.0.0.1:${port()}/${root.resolve(relative).toAbsolutePath().toString().replaceFirst('^/', '')}"
    }

    /** The known_hosts line for the current host key. */
    String knownHostsLine() {
        "[127.0.0.1]:${port()} ${PublicKeyEntry.toString(hostKey.public)}"
    }

    String fingerprint() { KeyUtils.getFingerPrint(hostKey.public) }

    void changeHostKey() { hostKey = newKey() }

    private static KeyPair newKey() {
        def g = KeyPairGenerator.getInstance('EC')
        g.initialize(new ECGenParameterSpec('secp256r1'))
        g.generateKeyPair()
    }

    @Override
    void close() {
        sshd.stop(true)
    }

    /** Runs {@code git upload-pack|receive-pack <dir>} for a path under the root, pumping the channel's streams. */
    private static class GitCommand implements Command {
        final Path root
        final String command
        InputStream stdin
        OutputStream stdout
        OutputStream stderr
        ExitCallback exit
        Process process

        GitCommand(Path root, String command) {
            this.root = root
            this.command = command
        }

        void setInputStream(InputStream i) { stdin = i }
        void setOutputStream(OutputStream o) { stdout = o }
        void setErrorStream(OutputStream e) { stderr = e }
        void setExitCallback(ExitCallback e) { exit = e }

        void start(ChannelSession channel, Environment env) {
            def m = command =~ /^(git[- ](?:upload|receive)-pack) +'?([^']+)'?$/
            if (!m.matches()) {
                stderr.write("unsupported command: $command\n".bytes)
                stderr.flush()
                exit.onExit(1)
                return
            }
            Path dir = Path.of(m.group(2)).normalize()
            if (!dir.startsWith(root)) {
                stderr.write("not under the root: $dir\n".bytes)
                stderr.flush()
                exit.onExit(1)
                return
            }
            String sub = m.group(1).endsWith('upload-pack') ? 'upload-pack' : 'receive-pack'
            process = new ProcessBuilder('git', sub, dir.toString()).start()
            def pumpOut = Thread.start { pump(process.inputStream, stdout) }
            def pumpErr = Thread.start { pump(process.errorStream, stderr) }
            Thread.start {
                try {
                    pump(stdin, process.outputStream)
                } catch (IOException ignored) {
                    // the process finished first
                }
                try { process.outputStream.close() } catch (IOException ignored) { }
            }
            Thread.start {
                int code = process.waitFor()
                pumpOut.join(10_000)
                pumpErr.join(10_000)
                exit.onExit(code)
            }
        }

        private static void pump(InputStream from, OutputStream to) {
            byte[] buf = new byte[8192]
            int n
            while ((n = from.read(buf)) >= 0) {
                to.write(buf, 0, n)
                to.flush()
            }
        }

        void destroy(ChannelSession channel) {
            process?.destroy()
        }
    }
}
