package io.stoker.server

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import java.util.jar.JarEntry
import java.util.jar.JarOutputStream

/**
 * How a spec starts a server in a JVM of its own: from this JVM's class path with its class directories packed into
 * jars (the JVM archives classes from jars only), and from a class-data-sharing archive of a server's start, made once
 * per spec JVM by a server that starts and is stopped. Each later server maps those classes instead of loading and
 * verifying them again: 1.6 s less CPU a start here (5.8 → 4.2 s for a fresh data directory, C1 alone). Without an
 * archive (it could not be made) servers start as before.
 */
final class ServerClassData {
    private static final long TRAINING_MILLIS = 120_000
    private static Path dir
    private static String classpath
    private static Path archive
    private static boolean tried

    private ServerClassData() {
    }

    /** {@code java}, the options, the archive's when there is one, and the class path: all but the main class. */
    static synchronized List<String> java(List<String> jvmOptions) {
        List<String> command = [Path.of(System.getProperty('java.home'), 'bin', 'java').toString()]
        command.addAll(jvmOptions)
        Path cds = archive()
        // a JVM whose options do not fit the archive says so on stdout, where specs read the server's output
        if (cds != null) command.addAll(["-XX:SharedArchiveFile=$cds".toString(), '-Xlog:cds=off', '-Xlog:cds+dynamic=off'])
        command.addAll(['-cp', classpath()])
        command
    }

    /** This JVM's class path, each directory in it replaced by a jar of its files. */
    static synchronized String classpath() {
        if (classpath != null) return classpath
        List<String> entries = []
        (System.getProperty('surefire.test.class.path') ?: System.getProperty('java.class.path'))
                .split(File.pathSeparator).findAll { it }.eachWithIndex { String entry, int i ->
            Path p = Path.of(entry)
            entries << (Files.isDirectory(p) ? jar(p, workDir().resolve("classes-${i}.jar")).toString() : entry)
        }
        classpath = entries.join(File.pathSeparator)
    }

    private static Path archive() {
        if (tried) return archive
        tried = true
        try {
            archive = train()
        } catch (IOException e) {
            System.err.println("ServerClassData: no class-data archive ($e); servers start without one")
        }
        archive
    }

    private static Path train() {
        Path target = workDir().resolve('server.jsa')
        def options = ['-Xmx256m', '-XX:TieredStopAtLevel=1', "-XX:ArchiveClassesAtExit=$target".toString()]
        List<String> command = [Path.of(System.getProperty('java.home'), 'bin', 'java').toString()] + options +
                ['-cp', classpath(), ServerMain.name]
        def pb = new ProcessBuilder(command).redirectErrorStream(true)
        Path data = Files.createDirectories(workDir().resolve('training-data'))
        pb.environment().putAll([STOKER_PORT: '0', STOKER_DATA_DIR: data.toString(), STOKER_SLOTS: '1',
                                 STOKER_COMPILER: 'in-process', STOKER_ADMIN_PASSWORD: Http.ADMIN_PASSWORD])
        Process p = pb.start()
        def listening = new AtomicBoolean() // set by the reader thread
        def reader = Thread.startDaemon('server-class-data') {
            try {
                p.inputStream.newReader().eachLine { if (it.contains('listening on')) listening.set(true) }
            } catch (IOException ended) {
                // the stream closes as the process is stopped
            }
        }
        long deadline = System.currentTimeMillis() + TRAINING_MILLIS * Http.TIMEOUT_FACTOR
        while (!listening.get() && p.alive && System.currentTimeMillis() < deadline) Thread.sleep(50)
        p.destroy() // SIGTERM: the JVM writes the archive as it exits
        if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly()
        reader.join(5_000)
        if (listening.get() && Files.isRegularFile(target)) return target
        System.err.println("ServerClassData: no class-data archive (the training server " +
                (listening.get() ? 'wrote none' : 'did not start') + "); servers start without one")
        null
    }

    private static Path jar(Path classes, Path jar) {
        new JarOutputStream(Files.newOutputStream(jar)).withCloseable { out ->
            Files.walk(classes).withCloseable { files ->
                // directories get entries of their own: Flyway finds its migrations by asking for their folder
                files.filter { it != classes }.sorted().forEach { Path f ->
                    String name = classes.relativize(f).toString().replace(File.separatorChar, '/' as char)
                    boolean folder = Files.isDirectory(f)
                    out.putNextEntry(new JarEntry(folder ? name + '/' : name))
                    if (!folder) Files.copy(f, out)
                    out.closeEntry()
                }
            }
        }
        jar
    }

    private static Path workDir() {
        if (dir == null) {
            Path made = Files.createTempDirectory('stoker-server-class-data-')
            Runtime.runtime.addShutdownHook(new Thread({ made.toFile().deleteDir() }))
            dir = made
        }
        dir
    }
}
