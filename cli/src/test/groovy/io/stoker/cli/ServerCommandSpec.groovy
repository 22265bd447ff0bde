package io.stoker.cli

import spock.lang.Specification
import spock.lang.TempDir

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit

/**
 * {@code stoker server} as a real process: it prints its URL and that it is ready, answers there, and stops cleanly
 * on SIGTERM.
 */
class ServerCommandSpec extends Specification {
    @TempDir Path dir
    Process process

    def cleanup() {
        process?.destroyForcibly()?.waitFor(10, TimeUnit.SECONDS)
    }

    /** {@code stoker server} in this JVM on {@code port} with data in {@code dir/data}: for starts that are refused. */
    private CliRun server(String port, Path config) {
        CliRun.of('server', '--port', port, '--data-dir', dir.resolve('data').toString(), '--config', config.toString())
    }

    /**
     * Starts {@code stoker server} on a free port with data in {@code dir/data} as a process, and reads its output until
     * it is ready (a minute at most): the URL it listens on and that line, the generated admin password if it printed one, and its
     * ready line (null if it never came).
     */
    private Map<String, String> start(Path config) {
        process = new ProcessBuilder(Path.of(System.getProperty('java.home'), 'bin', 'java').toString(),
                '-cp', System.getProperty('java.class.path'), Main.name,
                'server', '--port', '0', '--data-dir', dir.resolve('data').toString(), '--config', config.toString())
                .redirectErrorStream(true).start()
        def lines = new LinkedBlockingQueue<String>()
        Thread.startDaemon { process.inputStream.newReader().eachLine { lines << it } }
        Map<String, String> seen = [url: null, listening: null, password: null, ready: null]
        long deadline = System.currentTimeMillis() + 60_000
        while (seen.ready == null && System.currentTimeMillis() < deadline && process.alive) {
            String line = lines.poll(1, TimeUnit.SECONDS) ?: ''
            if (line.startsWith('stoker server ready on ')) seen.ready = line
            def m = line =~ /listening on (http:\/\/127\.0\.0\.1:\d+) \(data: (.*), slots: \d+, containers: [^)]+\)/
            if (m.find()) {
                seen.url = m.group(1)
                seen.listening = line
            }
            def pw = line =~ /^first start: created user 'admin' with password (\S+)$/
            if (pw.find()) seen.password = pw.group(1)
        }
        seen
    }

    def "stoker server prints the URL it listens on and serves the API there"() {
        given:
        def config = dir.resolve('stoker.properties')
        config.text = 'slots=2\ncompiler=in-process\n'

        when:
        def started = start(config)
        String url = started.url
        String password = started.password
        String ready = started.ready
        def client = HttpClient.newHttpClient()
        def health = client.send(HttpRequest.newBuilder(URI.create(url + '/healthz')).build(),
                HttpResponse.BodyHandlers.ofString())
        def login = client.send(HttpRequest.newBuilder(URI.create(url + '/api/v1/login'))
                .POST(HttpRequest.BodyPublishers.ofString('{"username": "admin", "password": "' + password + '"}')).build(),
                HttpResponse.BodyHandlers.ofString())
        def anonymous = client.send(HttpRequest.newBuilder(URI.create(url + '/api/v1/projects')).build(),
                HttpResponse.BodyHandlers.ofString())

        then: 'the first start printed a generated admin password once, and it logs in'
        url != null
        started.listening.contains(', slots: 2, ')
        ready == "stoker server ready on $url"
        health.statusCode() == 200
        password.length() >= 12
        login.statusCode() == 200
        anonymous.statusCode() == 401
        Files.isDirectory(dir.resolve('data/db'))

        when: 'it is asked to stop'
        process.destroy()

        then:
        process.waitFor(20, TimeUnit.SECONDS)
    }

    def "a first start on a taken port names the port and leaves no admin behind whose password nobody saw"() {
        given: 'the port is taken'
        def config = dir.resolve('stoker.properties')
        config.text = 'compiler=in-process\n'
        def taken = new ServerSocket(0, 1, InetAddress.getByName('127.0.0.1'))

        when:
        def run = server(taken.localPort as String, config)

        then:
        run.exit == 2
        run.err.trim().readLines().size() == 1
        run.err.contains("cannot start the server: port ${taken.localPort} on 127.0.0.1 is taken (another " +
                'server or program listens there); choose another with --port')

        when: 'it starts on a free port with the same data dir'
        taken.close()
        def started = start(config)

        then: 'this is the first start that made the admin, and it shows the password'
        started.ready != null
        started.password != null

        when: 'a second server is started on the data dir the first one uses'
        def second = server('0', config)

        then:
        second.exit == 2
        second.err.trim().readLines().size() == 1
        second.err.contains("cannot start the server: the data directory ${dir.resolve('data')} is in use by another " +
                'running Stoker server (its database is locked); stop that server or choose another --data-dir')
    }

    def "a bad option is refused with exit 2 and a one-line reason"() {
        when:
        def run = CliRun.of('server', '--slots', '0', '--data-dir', dir.toString())

        then:
        run.exit == 2
        run.err.contains('--slots: slots must be at least 1')
    }

    def "a --db that is not a PostgreSQL URL is refused with exit 2 and a one-line reason, its password hidden"() {
        when:
        def run = CliRun.of('server', '--db', 'postgresql://ci:hunter2@db.example', '--data-dir', dir.toString())

        then:
        run.exit == 2
        run.err.readLines().size() == 2
        run.err.readLines()[1] == "Try 'stoker server --help' for more information."
        run.err.contains("--db: 'postgresql://ci:***@db.example' is not a PostgreSQL URL (it names no database after the host)")
        !run.err.contains('hunter2')
    }

    def "a --db whose PostgreSQL does not answer names that database, not only the driver's bare cause"() {
        when: 'nothing listens on port 1'
        def run = CliRun.of('server', '--port', '0', '--db', 'postgresql://ci:hunter2@127.0.0.1:1/stoker',
                '--data-dir', dir.resolve('data').toString())

        then:
        run.exit == 2
        run.err.trim().readLines().size() == 1
        run.err.contains('cannot start the server: cannot connect to PostgreSQL at postgresql://ci:***@127.0.0.1:1/stoker: ')
        !run.err.contains('hunter2')
    }

    def "a data directory that cannot be made says so and names the fix, not only a path"() {
        given: 'a file where the data directory would go'
        def file = Files.createFile(dir.resolve('taken'))

        when:
        def run = CliRun.of('server', '--port', '0', '--data-dir', file.resolve('data').toString())

        then:
        run.exit == 2
        run.err.trim().readLines().size() == 1
        run.err.contains("cannot start the server: the data directory ${file.resolve('data')} cannot be used: ")
        run.err.contains("give the server's user write access there or choose another --data-dir")
    }

    def "a --bind address that is not this machine's, or does not resolve, is named as such and not as a taken port"() {
        when:
        def run = CliRun.of('server', '--port', '0', '--bind', address, '--data-dir', dir.resolve('data').toString())

        then:
        run.exit == 2
        run.err.trim().readLines().size() == 1
        run.err.contains("cannot start the server: the address to bind ${quoted} ${reason}")
        !run.err.contains('is taken')

        where:
        address          | quoted             | reason
        '192.0.2.1'      | '192.0.2.1'        | "is not one of this machine's; give one it has (127.0.0.1, or 0.0.0.0 for all) with --bind"
        'nosuch.invalid' | "'nosuch.invalid'" | 'does not resolve; give an address of this machine (127.0.0.1, or 0.0.0.0 for all) with --bind'
    }
}
