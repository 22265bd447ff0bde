package io.stoker.dsl.isolate

/**
 * The build's {@code -Dstoker.test.timeoutFactor}, rounded up to a whole number as the server's and the CLI's specs
 * read it. Not {@code Long.getLong}: it takes "2.5" for no factor at all (1), and the worker specs' limits stayed short.
 */
final class TimeoutFactor {
    static final long FACTOR = Math.max(1L, Math.ceil((System.getProperty('stoker.test.timeoutFactor') ?: '1') as double) as long)

    private TimeoutFactor() {
    }
}
