package io.stoker.server.db

/** The store contract on the embedded H2 file database (the default store). */
class H2StoreSpec extends StoreContract {
    @Override
    Database open() {
        Database.open(dir)
    }
}
