package io.stoker.server.db

import org.h2.api.ErrorCode
import spock.lang.Specification

import java.sql.SQLException
import java.sql.SQLNonTransientConnectionException

/** Which failures are the store's own (H2 closed its database after its file failed), said in words. */
class StoreFailureSpec extends Specification {
    def "a failure of the store is told in words from H2's exception, however a caller wrapped it"() {
        given: 'what H2 threw on a full disk, and what a run saver made of it'
        def full = new IOException('No space left on device')
        def write = new IllegalStateException('Writing to sun.nio.ch.FileChannelImpl@4b213651 failed; length 102400 at 32768', full)
        def closed = new SQLNonTransientConnectionException('The database has been closed [90098-232]', '90098',
                ErrorCode.DATABASE_IS_CLOSED, write)
        def saver = new IOException('cannot save run abc: The database has been closed', closed)

        expect:
        StoreFailure.reason(closed).get() == 'the database cannot be written: no space left on device'
        StoreFailure.reason(new UncheckedIOException(saver)).get() == 'the database cannot be written: no space left on device'
        StoreFailure.reason(new SQLException('closed', '90098', ErrorCode.DATABASE_IS_CLOSED)).get() == 'the database was closed by an error'

        and: 'PostgreSQL, whose database stays open, says a full disk by its SQLSTATE'
        StoreFailure.reason(new RuntimeException('cannot save', new SQLException(
                'ERROR: could not extend file "base/16384/2619": No space left on device', '53100'))).get() ==
                'the database cannot be written: its disk is full'

        and: 'not a failure of the store: a constraint, a caller\'s own I/O error, nothing'
        StoreFailure.reason(new SQLException('duplicate', '23505', ErrorCode.DUPLICATE_KEY_1, full)).isEmpty()
        StoreFailure.reason(new IOException('cannot write log', full)).isEmpty()
        StoreFailure.reason(null).isEmpty()
    }
}
