package io.stoker.server.db

/** The store contract on the embedded H2 file database (the default store). */
class H2StoreSpec extends StoreContract {
    @Override
    Database open() {
        Database.open(dir)
    }

    def "its pooled sessions have the query timeout"() {
        expect: 'H2 reports its session QUERY_TIMEOUT as every statement timeout, in seconds'
        db.connection().withCloseable { c -> c.createStatement().queryTimeout } == 30
    }
}
