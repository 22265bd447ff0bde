package io.stoker.server.db

import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.sql.Connection
import java.sql.DriverManager

/**
 * With Stoker's H2 settings ({@code WRITE_DELAY=0}: a chunk per commit, and no background thread of H2's own) the
 * file grows with every commit for as long as the database is open; housekeeping passes keep it near the size of its
 * data. H2's retention time is set to 0 here so chunks may be touched at once, as they may after 45 s in the server.
 */
class H2HousekeepingSpec extends Specification {
    @TempDir Path dir

    def "passes between commits keep the file a fraction of the size it grows to without them"() {
        when:
        long without = fileAfterCommits(dir.resolve('without'), null)
        long with = fileAfterCommits(dir.resolve('with'), 20)

        then:
        without > 4 * with

        cleanup:
        println "H2 file after 1,000 runs' commits: ${without >> 10} KiB without housekeeping, ${with >> 10} KiB with a pass every 20"
    }

    def "a pass loses nothing: every row committed before and after passes reads back"() {
        given:
        def data = dir.resolve('data')
        def c = open(data)
        def housekeeping = new H2Housekeeping({ DriverManager.getConnection(Database.h2Url(data), 'stoker', '') })

        when:
        300.times { i ->
            c.createStatement().execute("INSERT INTO runs VALUES ($i, '${'v' * (i % 50)}$i')")
            c.createStatement().execute("UPDATE counter SET n = n + 1")
            if (i % 10 == 0) housekeeping.pass()
        }
        crash(c)
        def reopened = DriverManager.getConnection(Database.h2Url(data), 'stoker', '')
        def rows = reopened.createStatement().executeQuery('SELECT id, v FROM runs ORDER BY id')
        def found = [:]
        while (rows.next()) found[rows.getInt(1)] = rows.getString(2)
        def n = reopened.createStatement().executeQuery('SELECT n FROM counter')
        n.next()

        then:
        found == (0..<300).collectEntries { i -> [i, ('v' * (i % 50)) + i] }
        n.getLong(1) == 300

        cleanup:
        reopened?.createStatement()?.execute('SHUTDOWN')
    }

    /**
     * The file's size after 1,000 runs' worth of commits, with a pass every {@code every} commits: each run is inserted
     * under a random key (as run keys are) and updated three times, in commits of its own, so the live pages of a
     * table and its index are spread over many chunks.
     */
    private static long fileAfterCommits(Path data, Integer every) {
        Connection c = open(data)
        def housekeeping = new H2Housekeeping({ DriverManager.getConnection(Database.h2Url(data), 'stoker', '') })
        def random = new Random(7)
        def insert = c.prepareStatement("INSERT INTO jobs VALUES (?, 'queued', ?)")
        def update = c.prepareStatement('UPDATE jobs SET status = ? WHERE id = ?')
        int commits = 0
        1000.times { i ->
            String key = Long.toString(random.nextLong() & Long.MAX_VALUE, 36)
            insert.setString(1, key)
            insert.setString(2, 'run ' * 20 + i)
            insert.executeUpdate()
            ['started', 'running', 'succeeded'].each { status ->
                update.setString(1, status)
                update.setString(2, key)
                update.executeUpdate()
            }
            c.createStatement().execute('UPDATE counter SET n = n + 1')
            4.times { if (every != null && ++commits % every == 0) housekeeping.pass() }
        }
        long size = Files.size(data.resolve('db').resolve('stoker.mv.db'))
        crash(c)
        return size
    }

    /** Closes the database as a crash would: no compaction on close. */
    private static void crash(Connection c) {
        try {
            c.createStatement().execute('SHUTDOWN IMMEDIATELY')
        } catch (java.sql.SQLException closedUnderUs) {
            // the session ends with the database
        }
    }

    private static Connection open(Path data) {
        def c = DriverManager.getConnection(Database.h2Url(data), 'stoker', '')
        def s = c.createStatement()
        s.execute('SET RETENTION_TIME 0')
        s.execute('CREATE TABLE runs (id INT PRIMARY KEY, v VARCHAR)')
        s.execute('CREATE TABLE jobs (id VARCHAR PRIMARY KEY, status VARCHAR, v VARCHAR)')
        s.execute('CREATE INDEX jobs_status ON jobs (status)')
        s.execute('CREATE TABLE counter (n BIGINT)')
        s.execute('INSERT INTO counter VALUES (0)')
        return c
    }
}
