package io.stoker.server.db

import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.sql.DriverManager
import java.sql.SQLException

/**
 * H2 2.3.232 writes its store header, where a recovery after a crash starts, only after the chunk it writes — and
 * that chunk may reuse the space of a chunk the recovery starts from or passes through. A crash between the two used to
 * lose acknowledged commits ({@link H2DurabilitySpec} caught it about once in 100 kills). {@link CrashWindowPath} stops
 * time at each such moment: the file's bytes then are what a {@code kill -9} would leave, and each is opened as H2
 * opens a crashed file. H2's retention time is 0 so freed space is reused at once (the server's 45 s narrows how often
 * this happens, not whether), and housekeeping passes run between commits as in the server.
 */
class HeaderFirstSpec extends Specification {
    static final int MOMENTS = 100

    @TempDir Path dir

    def "a crash right after a chunk reused a recent chunk's space loses no commit that returned"() {
        when:
        def (int moments, List<String> lost) = crashAtEachMoment("jdbc:h2:${HeaderFirstPath.SCHEME}:${CrashWindowPath.SCHEME}:")

        then:
        moments == MOMENTS
        lost == []
    }

    def "without HeaderFirstChannel, H2 itself loses acknowledged commits at some of those moments"() {
        when:
        def (int moments, List<String> lost) = crashAtEachMoment("jdbc:h2:${CrashWindowPath.SCHEME}:")

        then: 'this is why the server writes the file through HeaderFirstChannel (a newer H2 that fixes it fails here)'
        moments == MOMENTS
        !lost.isEmpty()

        cleanup:
        println "H2 alone: acknowledged commits lost at ${lost.size()} of $moments moments, e.g. ${lost.take(1)}"
    }

    /**
     * Commits a numbered sequence until {@link #MOMENTS} moments were caught (5,000 commits at most), then opens the
     * file of each moment; returns how many moments there were and where the number found was below the last one
     * acknowledged before the moment.
     */
    private List crashAtEachMoment(String urlPrefix) {
        HeaderFirstPath.register()
        CrashWindowPath.register()
        def random = new Random(20261125)
        long acked = 0
        List<Map> caught = []
        CrashWindowPath.moment = { byte[] file ->
            if (acked == 0 || caught.size() >= MOMENTS) return // from the first commit of the sequence on
            def copy = dir.resolve("moment-${caught.size()}.mv.db")
            Files.write(copy, file)
            caught << [file: copy, acked: acked]
        }
        String url = urlPrefix + dir.resolve('db').resolve('stoker').toAbsolutePath() + ';WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE'
        def c = DriverManager.getConnection(url, 'stoker', '')
        try {
            def housekeeping = new H2Housekeeping({ DriverManager.getConnection(url, 'stoker', '') })
            CommitSequence.prepare(c)
            for (long n = 1; n <= 5_000 && caught.size() < MOMENTS; n++) {
                CommitSequence.commit(c, n, random)
                acked = n
                if (random.nextInt(8) == 0) housekeeping.pass()
            }
        } finally {
            CrashWindowPath.moment = {}
            try {
                c.createStatement().execute('SHUTDOWN IMMEDIATELY')
            } catch (SQLException closedUnderUs) {
                // the session ends with the database
            }
        }
        List<String> lost = []
        caught.eachWithIndex { moment, i ->
            String name = moment.file.toString() - '.mv.db'
            def reopened = DriverManager.getConnection("jdbc:h2:file:$name", 'stoker', '')
            try {
                def rs = reopened.createStatement().executeQuery('SELECT n FROM seq WHERE id = 1')
                rs.next()
                long found = rs.getLong(1)
                if (found < moment.acked) lost << "moment $i: acknowledged ${moment.acked}, found $found"
            } finally {
                reopened.createStatement().execute('SHUTDOWN IMMEDIATELY')
            }
        }
        [caught.size(), lost]
    }
}
