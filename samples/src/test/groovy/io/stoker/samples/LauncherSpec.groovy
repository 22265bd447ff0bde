package io.stoker.samples

import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/**
 * The {@code ./stoker} launcher: every command starts from a class-data archive, one of the CLI's classes and one of
 * the server's, which the launcher has a JVM beside the first command of each kind make in {@code cli/target}.
 */
class LauncherSpec extends Specification {
    @TempDir Path dir

    def "after the first command the CLI's own classes come from the class-data archive kept beside the jar"() {
        given: 'a command has run, and the archive it had made for this jar and JDK is there'
        assert Cli.run('--version').exit == 0
        long deadline = System.nanoTime() + 60_000_000_000L
        while (archives().isEmpty() && System.nanoTime() < deadline) Thread.sleep(100)
        assert archives().size() == 1

        when: 'the next command logs where its classes were loaded from'
        Path loaded = dir.resolve('classes.log')
        def r = Cli.run(Cli.ROOT, [JAVA_TOOL_OPTIONS: "-Xlog:class+load=info:file=$loaded".toString()],
                'validate', 'samples/01-sequential')

        then: 'it worked, and the CLI and Groovy compiler classes were mapped from the archive, not read from the jar'
        r.exit == 0
        r.out.contains('OK: 1 job')
        String log = loaded.text
        log =~ /io\.stoker\.cli\.Main source: shared objects file \(top\)/
        log =~ /org\.codehaus\.groovy\.control\.CompilationUnit source: shared objects file \(top\)/
    }

    def "after a first start the server's classes come from an archive of their own, and it serves"() {
        given: 'a server has started, and the archive a training server beside it made for this jar and JDK is there'
        def first = Server.start(dir.resolve('data'), [:])
        // on JDK 25 and later the training server is given work and its AOT cache assembled at its exit: minutes on a
        // loaded machine, within the launcher's own bounds (3 min to be ready, 2 for the work, 5 to stop)
        long deadline = System.nanoTime() + 660_000_000_000L
        while (archives('server').isEmpty() && System.nanoTime() < deadline) Thread.sleep(100)
        assert archives('server').size() == 1

        and: 'the training, done, left the server no child that it never waits for ([bash] <defunct> while it runs)'
        long reaped = System.nanoTime() + 30_000_000_000L
        while (!unreaped(first.process).isEmpty() && System.nanoTime() < reaped) Thread.sleep(100)
        assert unreaped(first.process).isEmpty()
        first.stop()

        when: 'the next start logs where its classes were loaded from'
        Path loaded = dir.resolve('server-classes.log')
        def second = Server.start(dir.resolve('data'), [JAVA_TOOL_OPTIONS: "-Xlog:class+load=info:file=$loaded".toString()])
        def health = new URL("${second.url}/healthz").openConnection() as HttpURLConnection

        then: 'it answers, and its own and Vert.x classes were mapped from the archive, not read from the jar'
        health.responseCode == 200
        String log = loaded.text
        log =~ /io\.stoker\.server\.StokerServer source: shared objects file/
        log =~ /io\.vertx\.core\.Vertx source: shared objects file/

        cleanup:
        second?.stop()
    }

    /** The children of the process that have ended and were not waited for (zombies, state Z in /proc). */
    private static List<Long> unreaped(Process process) {
        process.toHandle().children().filter { state(it.pid()) == 'Z' }.map { it.pid() }.toList()
    }

    /** The state letter of /proc/PID/stat (after the command's parenthesised name), or '' once the process is gone. */
    private static String state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/$pid/stat"))
            stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)
        } catch (IOException gone) {
            ''
        }
    }

    /** The archives made for this jar (their names carry its time and size; an older jar's may still be there). */
    private static List<Path> archives(String kind = 'cli') {
        String jar = "${Files.getLastModifiedTime(Cli.JAR).to(java.util.concurrent.TimeUnit.SECONDS)}.${Files.size(Cli.JAR)}-"
        Files.list(Cli.JAR.parent).withCloseable { files ->
            // the server's is an AOT cache on JDK 25 and later, a dynamic CDS archive before
            files.filter { it.fileName.toString() ==~ /stoker-$kind-.+\.(jsa|aot)/ && it.fileName.toString().contains(jar) }.toList()
        }
    }

    /** {@code ./stoker server} on a free port of 127.0.0.1, as a user starts it; stopped by its PID. */
    static class Server {
        Process process
        String url

        static Server start(Path data, Map<String, String> env) {
            def builder = new ProcessBuilder(Cli.LAUNCHER.toString(), 'server', '--port', '0', '--bind', '127.0.0.1',
                    '--data-dir', data.toString()).directory(Cli.ROOT.toFile()).redirectErrorStream(true)
            builder.environment().put('JAVA_HOME', System.getProperty('java.home'))
            builder.environment().remove('STOKER_JAVA_OPTS')
            builder.environment().put('STOKER_COMPILER', 'in-process')
            builder.environment().putAll(env)
            def server = new Server(process: builder.start())
            def ready = new java.util.concurrent.CompletableFuture<String>()
            Thread.start {
                try {
                    server.process.inputStream.newReader().eachLine { line ->
                        if (line.startsWith('stoker server ready on ')) ready.complete(line.substring('stoker server ready on '.length()).trim())
                    }
                } catch (IOException stopped) {
                    // the process ended and its output was closed under the reader
                }
                ready.complete(null)
            }
            server.url = ready.get(Cli.TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS)
            assert server.url: 'the server ended before it was ready'
            server
        }

        void stop() {
            process.destroy()
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                process.descendants().forEach { it.destroyForcibly() }
                process.destroyForcibly()
            }
        }
    }
}
