package io.stoker.server.db

import org.h2.jdbcx.JdbcDataSource
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.util.jar.JarEntry
import java.util.jar.JarOutputStream

/**
 * A database that has applied exactly the migrations this server carries opens without Flyway; anything else (a new
 * database, a migration due, a failed one, one from a newer server) goes through Flyway as before.
 */
class MigrationsSpec extends Specification {
    @TempDir
    Path dir

    static final List<String> FOLDERS = [Migrations.COMMON, Dialect.H2.migrations()]

    def "a migration file's name gives the version Flyway records"() {
        expect:
        ShippedMigrations.version(name) == Optional.ofNullable(version)

        where:
        name                      | version
        'V20__console.sql'        | '20'
        'V1_1__two_part.sql'      | '1.1'
        'V2.5__dotted.sql'        | '2.5'
        'README.md'               | null
        'R__repeatable.sql'       | null
        'V3_no_separator.sql'     | null
    }

    def "the shipped versions are read from the class-path folders: the common one and the dialect's own"() {
        when:
        Set<String> versions = ShippedMigrations.versions(getClass().classLoader, FOLDERS).orElseThrow()

        then: 'V1 lives in db/vendor/h2, V20 in db/migration'
        versions.containsAll(['1', '4', '20', '85'])
        versions.size() == files(Migrations.COMMON) + files(Dialect.H2.migrations())
    }

    def "inside a jar only the folder's own files count, not a subfolder's or another folder's"() {
        given:
        Path jar = dir.resolve('server.jar')
        new JarOutputStream(Files.newOutputStream(jar)).withCloseable { out ->
            ['db/migration/', 'db/migration/V1__a.sql', 'db/migration/V2_1__b.sql', 'db/migration/README.md',
             'db/migration/old/V9__c.sql', 'db/other/V3__d.sql'].each {
                out.putNextEntry(new JarEntry(it))
                out.closeEntry()
            }
        }
        def loader = new URLClassLoader([jar.toUri().toURL()] as URL[], (ClassLoader) null)

        expect:
        ShippedMigrations.versions(loader, ['db/migration', 'db/absent']).orElseThrow() == ['1', '2.1'] as Set

        cleanup:
        loader?.close()
    }

    def "a class path it cannot list leaves the decision to Flyway"() {
        given: 'a loader that answers the folder with #url'
        def loader = new OneResource(url)

        expect:
        ShippedMigrations.versions(loader, ['db/migration']) == Optional.empty()

        where:
        url << ['http://127.0.0.1:9/db/migration', "jar:file:${'/nonexistent/server.jar'}!/db/migration".toString(),
                'jar:file:/nonexistent/app.jar!/BOOT-INF/lib/server.jar!/db/migration']
    }

    def "a database migrated by this server is up to date; a new one is not"() {
        given:
        def direct = direct()

        expect: 'nothing stored yet: Flyway must run'
        !Migrations.upToDate(direct, FOLDERS)

        when:
        Database.open(dir).close()

        then:
        Migrations.upToDate(direct, FOLDERS)
    }

    def "a failed migration in the history sends the open through Flyway"() {
        given:
        Database.open(dir).close()
        def direct = direct()

        when:
        direct.connection.withCloseable { c ->
            c.createStatement().withCloseable {
                it.executeUpdate('UPDATE "flyway_schema_history" SET "success" = FALSE WHERE "version" = \'85\'')
            }
        }

        then:
        !Migrations.upToDate(direct, FOLDERS)
    }

    def "a database reopened on the quick path keeps what it stored"() {
        given:
        Database.open(dir).withCloseable { db ->
            db.connection().withCloseable { c ->
                c.createStatement().withCloseable { it.executeUpdate("CREATE TABLE spec_kept (n INT)") }
                c.createStatement().withCloseable { it.executeUpdate("INSERT INTO spec_kept VALUES (7)") }
            }
        }

        expect:
        Database.open(dir).withCloseable { db ->
            db.connection().withCloseable { c ->
                def rs = c.createStatement().executeQuery("SELECT n FROM spec_kept")
                rs.next() ? rs.getInt(1) : -1
            }
        } == 7
    }

    /** A class loader whose every resource is at one address. */
    static class OneResource extends ClassLoader {
        final String address

        OneResource(String address) {
            super(null)
            this.address = address
        }

        @Override
        protected URL findResource(String name) {
            new URL(address)
        }
    }

    private JdbcDataSource direct() {
        def ds = new JdbcDataSource()
        ds.setURL(Database.h2Url(dir))
        ds.setUser('stoker')
        ds.setPassword('')
        ds
    }

    /** The migration files in the module's folder that the class-path folder is packed from (a jar when the specs run from specs/server). */
    private int files(String folder) {
        Files.list(Path.of('src/main/resources', folder)).withCloseable { s ->
            (int) s.filter { it.fileName.toString() ==~ /V.+__.+\.sql/ }.count()
        }
    }
}
