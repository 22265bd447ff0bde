package io.stoker.server

import java.nio.file.Path
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit

/**
 * A real server in a JVM of its own, for specs that need JVM options (a small heap, a small virtual-thread
 * scheduler) or read the server log. Its output is kept in {@link #output}; {@link #close} kills it.
 */
class ServerJvm implements AutoCloseable {
    final Process process
    final Http http
    final List<String> output

    private ServerJvm(Process process, Http http, List<String> output) {
        this.process = process
        this.http = http
        this.output = output
    }

    /**
     * Starts {@code ServerMain} on a free port with these JVM options and environment (Jobfiles compiled in process
     * unless {@code env} sets {@code STOKER_COMPILER}), logged in as admin; a data
     * directory without a database gets a migrated one first ({@link MigratedDatabase}) unless {@code env} names a
     * database of its own ({@code STOKER_DB}: see {@link MigratedPostgres}).
     */
    static ServerJvm start(Path data, List<String> jvmOptions, Map<String, String> env) {
        if (!env.containsKey('STOKER_DB')) MigratedDatabase.copyInto(data)
        def command = ServerClassData.java(jvmOptions) + ServerMain.name
        def pb = new ProcessBuilder(command)
        // Jobfiles compile in the server's JVM unless a spec asks for the isolated compiler: its sandbox probe, the
        // workers' class-data archive made in each new data dir and the warm worker were three more JVMs a server
        // start (as ServerProcess's servers, and StarvedSchedulerSpec asks for it)
        pb.environment().putAll([STOKER_PORT: '0', STOKER_DATA_DIR: data.toString(), STOKER_COMPILER: 'in-process',
                                 STOKER_ADMIN_PASSWORD: Http.ADMIN_PASSWORD] + env)
        pb.redirectErrorStream(true)
        Process process = pb.start()
        def lines = new LinkedBlockingQueue<String>()
        def output = new CopyOnWriteArrayList<String>()
        Thread.startDaemon('server-jvm-output') {
            process.inputStream.newReader().eachLine {
                output << it
                lines << it
            }
        }
        long deadline = System.currentTimeMillis() + 120_000 * Http.TIMEOUT_FACTOR
        while (System.currentTimeMillis() < deadline) {
            String line = lines.poll(1, TimeUnit.SECONDS)
            def url = line =~ /listening on (http:\S+)/
            if (url.find()) return new ServerJvm(process, Http.loggedIn(url.group(1)), output)
            if (!process.alive && lines.isEmpty()) {
                throw new AssertionError('the server exited with ' + process.exitValue() + ':\n' + output.join('\n'))
            }
        }
        process.destroyForcibly()
        throw new AssertionError('the server did not say where it listens:\n' + output.join('\n'))
    }

    /**
     * Starts {@code n} servers of a cluster: the first alone (it makes the admin, and migrates a database that is not yet), then the
     * others at once, as a cluster's servers would.
     */
    static List<ServerJvm> startCluster(int n, Closure<ServerJvm> start) {
        List<ServerJvm> all = [start()]
        def started = Collections.synchronizedList([])
        def threads = (1..<n).collect { Thread.start { started << start() } }
        threads*.join()
        all.addAll(started)
        started.size() == n - 1 ? all : { all*.close(); throw new AssertionError('a server did not start') }()
    }

    String url() {
        http.base
    }

    /**
     * Kills the server and keeps what it printed in {@code target/server-jvm-logs/<pid>.log} of the module, so a
     * spec that failed on a loaded machine (a CI box, scripts/flake-check) can be read afterwards.
     */
    @Override
    void close() {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS)
        try {
            def logs = Path.of(System.getProperty('user.dir'), 'target', 'server-jvm-logs')
            java.nio.file.Files.createDirectories(logs)
            logs.resolve("${process.pid()}.log").text = output.join('\n') + '\n'
        } catch (IOException e) {
            System.err.println("server ${process.pid()}: its output could not be kept: $e.message")
        }
    }
}
