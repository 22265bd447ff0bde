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

    def "stoker server prints the URL it listens on and serves the API there"() {
        given:
        def config = dir.resolve('stoker.properties')
        config.text = 'slots=2\ncompiler=in-process\n'
        def pb = new ProcessBuilder(Path.of(System.getProperty('java.home'), 'bin', 'java').toString(),
                '-cp', System.getProperty('java.class.path'), Main.name,
                'server', '--port', '0', '--data-dir', dir.resolve('data').toString(), '--config', config.toString())
        pb.redirectErrorStream(true)
        process = pb.start()
        def lines = new LinkedBlockingQueue<String>()
        Thread.startDaemon { process.inputStream.newReader().eachLine { lines << it } }

        when:
        String url = null
        String password = null
        String ready = null
        long deadline = System.currentTimeMillis() + 60_000
        while (ready == null && System.currentTimeMillis() < deadline && process.alive) {
            String line = lines.poll(1, TimeUnit.SECONDS) ?: ''
            if (line.startsWith('stoker server ready on ')) ready = line
            def m = line =~ /listening on (http:\/\/127\.0\.0\.1:\d+) \(data: (.*), slots: 2, containers: [^)]+\)/
            if (m.find()) url = m.group(1)
            def pw = line =~ /^first start: created user 'admin' with password (\S+)$/
            if (pw.find()) password = pw.group(1)
        }
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
        run.err.trim().readLines().size() == 1
        run.err.contains("--db: 'postgresql://ci:***@db.example' is not a PostgreSQL URL (it names no database after the host)")
        !run.err.contains('hunter2')
    }
}
