package io.stoker.server.db

import io.stoker.store.postgres.TestPostgres
import spock.lang.Requires

/** The store contract on PostgreSQL: each feature on a database of its own, dropped after it. */
@Requires({ TestPostgres.available() })
class PostgresStoreSpec extends StoreContract {
    TestPostgres pg

    @Override
    Database open() {
        pg = pg ?: TestPostgres.create()
        Database.open(dir, pg.dbUrl())
    }

    @Override
    void drop() {
        pg?.close()
    }

    def "its pooled sessions have the statement timeout"() {
        expect:
        db.connection().withCloseable { c ->
            c.createStatement().executeQuery('SHOW statement_timeout').with { next(); getString(1) }
        } == '30s'
    }
}
