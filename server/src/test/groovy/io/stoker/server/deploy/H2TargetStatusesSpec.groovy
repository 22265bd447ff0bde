package io.stoker.server.deploy

import io.stoker.server.MigratedDatabase
import io.stoker.server.db.Database

/** What each deploy target runs now, on the embedded H2 file store (the default). */
class H2TargetStatusesSpec extends TargetStatusesContract {
    @Override
    Database open() {
        MigratedDatabase.copyInto(dir) // a copy of a store migrated once per spec JVM
        Database.open(dir)
    }
}
