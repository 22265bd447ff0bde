package io.stoker.cli

import com.fasterxml.jackson.databind.ObjectMapper

/** Runs the CLI in process, capturing what it prints, as a user would see it. */
class CliRun {
    /** The build's {@code -Dstoker.test.timeoutFactor} (rounded up to a whole number): multiplies the specs' time limits. */
    static final long TIMEOUT_FACTOR = Math.max(1L, Math.ceil((System.getProperty('stoker.test.timeoutFactor') ?: '1') as double) as long)

    final int exit
    final String out
    final String err

    private CliRun(int exit, String out, String err) {
        this.exit = exit
        this.out = out
        this.err = err
    }

    static CliRun of(Object... args) {
        def out = new StringWriter()
        def err = new StringWriter()
        def cmd = Main.commandLine()
        cmd.out = new PrintWriter(out, true)
        cmd.err = new PrintWriter(err, true)
        int exit = cmd.execute(args.collect { it.toString() } as String[])
        new CliRun(exit, out.toString(), err.toString())
    }

    Map json() {
        new ObjectMapper().readValue(out, Map)
    }

    @Override
    String toString() {
        "exit $exit\n--- out\n$out--- err\n$err"
    }
}
