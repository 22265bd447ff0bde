package io.stoker.server

import java.nio.file.Path
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit

/**
 * A real server in a child JVM on a data directory (the spec's class path, {@code ServerMain}, port 0), so a spec
 * can kill it with SIGKILL and start another on the same data.
 */
class ServerProcess {
    final Process process
    final String url

    private ServerProcess(Process process, String url) {
        this.process = process
        this.url = url
    }

    /**
     * Starts a server and returns once it printed where it listens; a data directory without a database gets a
     * migrated one first ({@link MigratedDatabase}) unless {@code env} names a database of its own.
     */
    static ServerProcess start(Path data, Map<String, String> env = [:]) {
        if (!env.containsKey('STOKER_DB')) MigratedDatabase.copyInto(data)
        def pb = new ProcessBuilder(ServerClassData.java(['-Xmx256m', '-XX:TieredStopAtLevel=1']) + ServerMain.name)
        pb.environment().putAll([STOKER_PORT: '0', STOKER_DATA_DIR: data.toString(), STOKER_SLOTS: '2',
                                 STOKER_COMPILER: 'in-process', STOKER_ADMIN_PASSWORD: Http.ADMIN_PASSWORD] + env)
        pb.redirectErrorStream(true)
        Process process = pb.start()
        def lines = new LinkedBlockingQueue<String>()
        // -Dstoker.test.serverLog=FILE keeps what every server process printed (a failed crash check's story)
        String logFile = System.getProperty('stoker.test.serverLog')
        Thread.startDaemon {
            process.inputStream.newReader().eachLine {
                lines << it
                if (logFile) synchronized (ServerProcess) { new File(logFile) << "[${process.pid()}] $it\n" }
            }
        }
        long deadline = System.currentTimeMillis() + 60_000 * Http.TIMEOUT_FACTOR
        while (System.currentTimeMillis() < deadline) {
            String line = lines.poll(1, TimeUnit.SECONDS)
            def url = line =~ /listening on (http:\S+)/
            if (url.find()) return new ServerProcess(process, url.group(1))
            if (!process.alive && lines.isEmpty()) throw new AssertionError('the server exited with ' + process.exitValue())
        }
        process.destroyForcibly()
        throw new AssertionError('the server did not say where it listens')
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() {
        process.destroyForcibly()
        assert process.waitFor(30, TimeUnit.SECONDS)
    }
}
