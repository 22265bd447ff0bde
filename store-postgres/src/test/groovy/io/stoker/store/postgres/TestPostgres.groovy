package io.stoker.store.postgres

import java.sql.Connection
import java.sql.DriverManager
import java.sql.SQLException
import java.util.concurrent.ThreadLocalRandom

/**
 * A database of its own on the test PostgreSQL (127.0.0.1:5432, user postgres, trust auth; STOKER_TEST_POSTGRES
 * overrides it), created for one spec and dropped (with whatever is still connected) by {@link #close}.
 * {@link #available} tells whether that server answers, and says once in the build output when it does not.
 */
class TestPostgres implements AutoCloseable {
    static final PostgresUrl SERVER = PostgresUrl.parse(System.getenv('STOKER_TEST_POSTGRES')
            ?: 'postgresql://postgres@127.0.0.1:5432/postgres')
    private static Boolean answered

    final String name
    final PostgresUrl url

    private TestPostgres(String name) {
        this.name = name
        this.url = SERVER.withDatabase(name)
    }

    /** Whether the test PostgreSQL answers; the first "no" prints one line. */
    static synchronized boolean available() {
        if (answered == null) {
            try {
                admin().close()
                answered = true
            } catch (SQLException e) {
                answered = false
                System.out.println("PostgreSQL does not answer at $SERVER ($e.message): the PostgreSQL specs are skipped")
            }
        }
        answered
    }

    /** Creates an empty database with a fresh name. */
    static TestPostgres create() {
        String name = 'stoker_test_' + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE)
        admin().withCloseable { Connection c -> c.createStatement().withCloseable { it.execute("CREATE DATABASE $name") } }
        new TestPostgres(name)
    }

    /**
     * Creates a database with a fresh name as a copy of {@code template} (PostgreSQL's {@code CREATE DATABASE …
     * TEMPLATE}), which nothing may be connected to meanwhile.
     */
    static TestPostgres copyOf(TestPostgres template) {
        String name = 'stoker_test_' + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE)
        admin().withCloseable { Connection c ->
            c.createStatement().withCloseable { it.execute("CREATE DATABASE $name TEMPLATE $template.name") }
        }
        new TestPostgres(name)
    }

    /** The {@code --db} value of this database. */
    String dbUrl() {
        "postgresql://$url.user@$url.host:$url.port/$name"
    }

    /** Ends this database's connections whose last statement was {@code query}, as a network cut would; how many. */
    int terminate(String query) {
        admin().withCloseable { Connection c ->
            c.prepareStatement('SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = ? AND query = ?')
                    .withCloseable { s ->
                        s.setString(1, name)
                        s.setString(2, query)
                        def rs = s.executeQuery()
                        rs.next()
                        rs.getInt(1)
                    }
        }
    }

    @Override
    void close() {
        admin().withCloseable { Connection c ->
            c.createStatement().withCloseable { it.execute("DROP DATABASE IF EXISTS $name WITH (FORCE)") }
        }
    }

    /** A connection to this database, for a spec to put the store as a crash leaves it. */
    Connection connection() {
        connect(SERVER.withDatabase(name))
    }

    private static Connection admin() {
        connect(SERVER)
    }

    private static Connection connect(PostgresUrl to) {
        DriverManager.loginTimeout = 3
        Properties p = new Properties()
        p.user = SERVER.user()
        if (SERVER.password() != null) p.password = SERVER.password()
        DriverManager.getConnection(to.jdbcUrl(), p)
    }
}
