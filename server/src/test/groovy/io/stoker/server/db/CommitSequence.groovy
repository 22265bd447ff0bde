package io.stoker.server.db

import java.nio.file.Path
import java.sql.DriverManager

/**
 * The child JVM of {@link H2DurabilitySpec}: commits a numbered sequence to the H2 database of a data directory, with
 * Stoker's JDBC URL, one short transaction each (the number, and some text values rewritten so old chunks of the file
 * die and their space is reused), and prints each number only after its commit returned. Every few commits it runs
 * a pass of {@link H2Housekeeping} between them, as the server's timer does, so a kill also lands while chunks are
 * rewritten.
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
            def s = c.createStatement()
            // freed space is reused at once instead of after 45 s, so a short run gets there
            s.execute('SET RETENTION_TIME 0')
            s.execute('CREATE TABLE IF NOT EXISTS seq (id INT PRIMARY KEY, n BIGINT NOT NULL)')
            s.execute('MERGE INTO seq VALUES (1, COALESCE((SELECT n FROM seq WHERE id = 1), 0))')
            s.execute('CREATE TABLE IF NOT EXISTS side (id INT PRIMARY KEY, v CLOB)')
            def rs = s.executeQuery('SELECT n FROM seq WHERE id = 1')
            rs.next()
            long n = rs.getLong(1)
            def next = c.prepareStatement('UPDATE seq SET n = ? WHERE id = 1')
            def side = c.prepareStatement('MERGE INTO side VALUES (?, ?)')
            c.autoCommit = false
            while (true) {
                next.setLong(1, ++n)
                next.executeUpdate()
                random.nextInt(4).times {
                    side.setInt(1, random.nextInt(200))
                    side.setString(2, 'x' * random.nextInt(4000))
                    side.executeUpdate()
                }
                c.commit()
                numbers.println(n)
                numbers.flush()
                if (random.nextInt(8) == 0) housekeeping.pass()
            }
        }
    }
}
