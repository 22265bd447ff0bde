package io.stoker.server.db

import io.stoker.server.MigratedDatabase

/** The store contract on the embedded H2 file database (the default store). */
class H2StoreSpec extends StoreContract {
    @Override
    Database open() {
        MigratedDatabase.copyInto(dir) // the migrations' own specs migrate; a copy spares each feature all of them
        Database.open(dir)
    }

    def "its pooled sessions have the query timeout"() {
        expect: 'H2 reports its session QUERY_TIMEOUT as every statement timeout, in seconds'
        db.connection().withCloseable { c -> c.createStatement().queryTimeout } == 30
    }

    def "its sessions let go of large objects a query returned after 1 s, and keep values up to 64 KiB in their row"() {
        when: 'H2 is asked for its settings (its defaults: 300,000 ms and 256 bytes)'
        Map<String, String> settings = db.connection().withCloseable { c ->
            def rs = c.createStatement().executeQuery("SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                    + " WHERE SETTING_NAME IN ('LOB_TIMEOUT', 'MAX_LENGTH_INPLACE_LOB')")
            def found = [:]
            while (rs.next()) found[rs.getString(1)] = rs.getString(2)
            found
        }

        then:
        settings == [LOB_TIMEOUT: '1000', MAX_LENGTH_INPLACE_LOB: '65536']
    }
}
