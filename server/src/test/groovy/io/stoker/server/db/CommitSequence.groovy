package io.stoker.server.db

import java.nio.file.Path
import java.sql.Connection
import java.sql.DriverManager

/**
 * The child JVM of {@link H2DurabilitySpec}: commits a numbered sequence to the H2 database of a data directory, with
 * Stoker's JDBC URL, one short transaction each (the number, and some text values rewritten so old chunks of the file
 * die and their space is reused), and prints each number only after its commit returned. Every few commits it runs
 * a pass of {@link H2Housekeeping} between them, as the server's timer does, so a kill also lands while chunks are
 * rewritten. {@link HeaderFirstSpec} commits the same sequence in its own JVM.
 */
class CommitSequence {
    static void main(String[] args) {
        // the numbers alone go to stdout: whatever else prints (logging's own start-up notes) goes to stderr
        def numbers = System.out
        System.setOut(System.err)
        def random = new Random()
        String url = Database.h2Url(Path.of(args[0]))
        def housekeeping = new H2Housekeeping({ DriverManager.getConnection(url, 'stoker', '') })
        DriverManager.getConnection(url, 'stoker', '').withCloseable { c ->
            long n = prepare(c)
            while (true) {
                commit(c, ++n, random)
                numbers.println(n)
                numbers.flush()
                if (random.nextInt(8) == 0) housekeeping.pass()
            }
        }
    }

    /** Makes the sequence's tables if they are missing and sets H2's retention time to 0; returns the number it is at. */
    static long prepare(Connection c) {
        def s = c.createStatement()
        // freed space is reused at once instead of after 45 s, so a short run gets there
        s.execute('SET RETENTION_TIME 0')
        s.execute('CREATE TABLE IF NOT EXISTS seq (id INT PRIMARY KEY, n BIGINT NOT NULL)')
        s.execute('MERGE INTO seq VALUES (1, COALESCE((SELECT n FROM seq WHERE id = 1), 0))')
        s.execute('CREATE TABLE IF NOT EXISTS side (id INT PRIMARY KEY, v CLOB)')
        def rs = s.executeQuery('SELECT n FROM seq WHERE id = 1')
        rs.next()
        c.autoCommit = false
        rs.getLong(1)
    }

    /** Commits the number {@code n} and rewrites up to three side values, in one transaction. */
    static void commit(Connection c, long n, Random random) {
        def next = c.prepareStatement('UPDATE seq SET n = ? WHERE id = 1')
        next.setLong(1, n)
        next.executeUpdate()
        def side = c.prepareStatement('MERGE INTO side VALUES (?, ?)')
        random.nextInt(4).times {
            side.setInt(1, random.nextInt(200))
            side.setString(2, 'x' * random.nextInt(4000))
            side.executeUpdate()
        }
        c.commit()
    }
}
