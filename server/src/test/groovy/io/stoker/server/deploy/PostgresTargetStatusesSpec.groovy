package io.stoker.server.deploy

import io.stoker.server.MigratedPostgres
import io.stoker.server.db.Database
import io.stoker.store.postgres.TestPostgres
import spock.lang.Requires

/** What each deploy target runs now, on PostgreSQL: each feature on a database of its own, dropped after it. */
@Requires({ TestPostgres.available() })
class PostgresTargetStatusesSpec extends TargetStatusesContract {
    TestPostgres pg

    @Override
    Database open() {
        pg = MigratedPostgres.create() // a copy of a template migrated once per spec JVM
        Database.open(dir, pg.dbUrl())
    }

    @Override
    void drop() {
        pg?.close()
    }
}
