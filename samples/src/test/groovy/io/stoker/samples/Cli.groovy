package io.stoker.samples

import com.fasterxml.jackson.databind.ObjectMapper

import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * Runs the CLI as a real process the way a user does, through the repository's {@code ./stoker} launcher (its JVM
 * options, its class-data archive) on this JVM's JDK, and captures what it printed.
 */
class Cli {
    static final Path ROOT = locateRoot()
    static final Path LAUNCHER = ROOT.resolve('stoker')
    static final Path JAR = ROOT.resolve('cli/target/stoker.jar')
    static final String JAVA = Path.of(System.getProperty('java.home'), 'bin', 'java').toString()
    static final long TIMEOUT_SECONDS = 120 * Math.max(1L, Math.ceil((System.getProperty('stoker.test.timeoutFactor') ?: '1') as double) as long)

    static Result run(Path workDir = ROOT, String... args) {
        run(workDir, [:], args)
    }

    static Result run(Path workDir, Map<String, String> env, String... args) {
        def builder = new ProcessBuilder([LAUNCHER.toString()] + args.toList()).directory(workDir.toFile())
        builder.environment().put('JAVA_HOME', System.getProperty('java.home'))
        builder.environment().remove('STOKER_JAVA_OPTS')
        builder.environment().putAll(env)
        def process = builder.start()
        def out = new ByteArrayOutputStream()
        def err = new ByteArrayOutputStream()
        def pumps = [Thread.start { out << process.inputStream }, Thread.start { err << process.errorStream }]
        process.outputStream.close()
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.descendants().forEach { it.destroyForcibly() }
            process.destroyForcibly()
            throw new AssertionError("stoker ${args.join(' ')} did not finish within ${TIMEOUT_SECONDS}s")
        }
        pumps*.join(5000)
        new Result(process.exitValue(), out.toString('UTF-8'), err.toString('UTF-8'))
    }

    static class Result {
        final int exit
        final String out
        final String err

        Result(int exit, String out, String err) {
            this.exit = exit
            this.out = out
            this.err = err
        }

        /** The JSON summary `run --json` prints on stdout. */
        Map json() {
            new ObjectMapper().readValue(out, Map)
        }

        @Override
        String toString() {
            "exit $exit\n--- stdout\n$out\n--- stderr\n$err"
        }
    }

    private static Path locateRoot() {
        Path dir = Path.of('').toAbsolutePath()
        while (dir != null && !dir.resolve('samples/pom.xml').toFile().exists()) dir = dir.parent
        assert dir != null: 'run from inside the repository'
        dir
    }
}
