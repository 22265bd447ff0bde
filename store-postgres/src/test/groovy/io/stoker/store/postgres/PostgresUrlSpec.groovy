package io.stoker.store.postgres

import spock.lang.Requires
import spock.lang.Specification

class PostgresUrlSpec extends Specification {

    def "a libpq URL becomes the driver's URL, user and password, with its parameters kept"() {
        when:
        def url = PostgresUrl.parse('postgresql://ci:s%40cret@db.example:6543/stoker?sslmode=verify-full')

        then:
        url.host() == 'db.example'
        url.port() == 6543
        url.database() == 'stoker'
        url.user() == 'ci'
        url.password() == 's@cret'
        url.jdbcUrl() == 'jdbc:postgresql://db.example:6543/stoker?sslmode=verify-full'

        and: 'the password is never shown'
        url.toString() == 'postgresql://ci:***@db.example:6543/stoker'
    }

    def "the port defaults to 5432 and postgres:// is taken too"() {
        expect:
        PostgresUrl.parse('postgres://me@localhost/db').jdbcUrl() == 'jdbc:postgresql://localhost:5432/db'
    }

    def "a wrong URL is refused with one sentence that names what is missing and hides the password"() {
        when:
        PostgresUrl.parse(text)

        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains(why)
        e.message.endsWith('expected postgresql://user@host:5432/database')
        !e.message.contains('hunter2')

        where:
        text                                         || why
        'mysql://u@h/db'                             || 'must start with postgresql://'
        'postgresql://u:hunter2@h'                   || 'names no database'
        'postgresql://h:5432/db'                     || 'names no user'
        'postgresql://u:hunter2@h/db?sslmode'        || "parameter 'sslmode' has no value"
        'postgresql://u:hunter2@h:99999/db'          || 'its port 99999 is not between 1 and 65535'
        'postgresql://u@h:0/db'                      || 'its port 0 is not between 1 and 65535'
    }

    @Requires({ TestPostgres.available() })
    def "the pool's sessions carry the statement timeout; a database that does not answer fails in one sentence"() {
        given:
        def db = TestPostgres.create()
        def settings = new PostgresStore.Settings(2, java.time.Duration.ofSeconds(7), java.time.Duration.ofSeconds(5))

        when:
        def pool = PostgresStore.pool(db.url, settings)
        String timeout = pool.connection.withCloseable { c ->
            c.createStatement().executeQuery('SHOW statement_timeout').with { next(); getString(1) }
        }
        pool.close()

        then:
        timeout == '7s'

        when:
        PostgresStore.pool(db.url.withDatabase('stoker_no_such_db'), settings)

        then:
        def e = thrown(IllegalStateException)
        e.message.startsWith('cannot connect to PostgreSQL at postgresql://postgres@127.0.0.1:5432/stoker_no_such_db: ')
        e.message.contains('stoker_no_such_db')

        cleanup:
        db?.close()
    }
}
