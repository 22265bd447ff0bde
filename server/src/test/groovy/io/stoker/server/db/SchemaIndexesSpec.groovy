package io.stoker.server.db

import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path

/**
 * The migrated schema keeps one index per column list of a table: a second index on the same columns answers no query
 * the first does not, and every insert and update pays for both.
 */
class SchemaIndexesSpec extends Specification {
    @TempDir
    Path dir

    def "no two indexes of a table cover the same columns in the same order"() {
        given:
        def db = Database.open(dir)

        when: 'each index of the public schema, as its table and ordered column list'
        Map<String, List<String>> byColumns = [:].withDefault { [] }
        db.connection().withCloseable { c ->
            def rows = c.createStatement().executeQuery('''
                SELECT i.TABLE_NAME, i.INDEX_NAME, c.COLUMN_NAME
                FROM INFORMATION_SCHEMA.INDEXES i
                JOIN INFORMATION_SCHEMA.INDEX_COLUMNS c
                  ON c.INDEX_SCHEMA = i.INDEX_SCHEMA AND c.INDEX_NAME = i.INDEX_NAME AND c.TABLE_NAME = i.TABLE_NAME
                WHERE i.TABLE_SCHEMA = 'PUBLIC'
                ORDER BY i.TABLE_NAME, i.INDEX_NAME, c.ORDINAL_POSITION''')
            Map<List<String>, List<String>> columns = [:].withDefault { [] }
            while (rows.next()) columns[[rows.getString(1), rows.getString(2)]] << rows.getString(3)
            columns.each { key, cols -> byColumns["${key[0]}(${cols.join(', ')})".toString()] << key[1] }
        }

        then:
        byColumns.size() > 10
        byColumns.findAll { it.value.size() > 1 } == [:]

        cleanup:
        db?.close()
    }
}
