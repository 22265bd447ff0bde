package io.stoker.server.auth

import io.stoker.server.Refused
import io.stoker.server.audit.H2AuditLog
import io.stoker.server.db.Database
import io.stoker.store.postgres.TestPostgres
import spock.lang.Requires
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path
import java.time.Clock
import java.util.concurrent.Callable
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

/**
 * Two servers of a cluster on one PostgreSQL database never leave it without an enabled admin, though each checks
 * "is another admin left" against its own copy of the users: the table has the last word. Each server here is the
 * people management of one (its {@link Users}), which hears nothing of the other's changes, as in the moment before
 * the other's news arrives.
 */
@Requires({ TestPostgres.available() })
class LastAdminSpec extends Specification {
    @TempDir Path dir
    TestPostgres pg
    Database db
    Users a
    Users b

    def setup() {
        pg = TestPostgres.create()
        db = Database.open(dir, pg.dbUrl())
        def audit = new H2AuditLog(db, Clock.systemUTC())
        a = new Users(db, new PasswordHasher(), audit, Clock.systemUTC(), { })
        a.createFirstAdmin('first-admin-password')
        a.create('admin', 'ada', 'second-admin-password', Role.ADMIN)
        b = new Users(db, new PasswordHasher(), audit, Clock.systemUTC(), { })
    }

    def cleanup() {
        db?.close()
        pg?.close()
    }

    static void takeAway(Users users, String actor, String username, String verb) {
        switch (verb) {
            case 'delete': users.delete(actor, username); break
            case 'disable': users.setEnabled(actor, username, false); break
            case 'demote': users.setRole(actor, username, Role.DEVELOPER); break
        }
    }

    def "a server whose copy is behind cannot #verb the admin that is the last one now"() {
        given: 'A took ada away; B has not heard of it'
        takeAway(a, 'admin', 'ada', verb)
        assert b.find('ada').get().enabled() && b.find('ada').get().role() == Role.ADMIN

        when: 'B is asked to take away the other admin'
        takeAway(b, 'ada', 'admin', verb)

        then: 'refused as on a server alone, and the admin is still an enabled admin in the table'
        def refused = thrown(Refused.Conflict)
        refused.message == "cannot $verb 'admin': it is the last enabled admin"
        def stored = new UserRepository(db).find('admin').get()
        stored.enabled() && stored.role() == Role.ADMIN

        and: 'B read the table again'
        b.find('ada').map { it.enabled() && it.role() == Role.ADMIN }.orElse(false) == false

        where:
        verb << ['delete', 'disable', 'demote']
    }

    def "two servers each taking away one of the last two admins at the same moment leave one of them"() {
        given:
        def ready = new CountDownLatch(1)
        def pool = Executors.newFixedThreadPool(2)

        when: 'A disables ada while B disables admin'
        def results = [[a, 'admin', 'ada'], [b, 'ada', 'admin']].collect { Users users, String actor, String name ->
            pool.submit({
                ready.await()
                try {
                    users.setEnabled(actor, name, false)
                    'disabled'
                } catch (Refused.Conflict e) {
                    'refused'
                }
            } as Callable<String>)
        }
        ready.countDown()
        def outcomes = results.collect { it.get(60, TimeUnit.SECONDS) }

        then: 'one of them is refused, and one enabled admin is left'
        outcomes.sort() == ['disabled', 'refused']
        new UserRepository(db).all().count { it.enabled() && it.role() == Role.ADMIN } == 1

        cleanup:
        pool?.shutdownNow()
    }
}
