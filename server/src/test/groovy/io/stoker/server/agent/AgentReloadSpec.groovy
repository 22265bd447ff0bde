package io.stoker.server.agent

import io.stoker.agent.ssh.SshAgent
import io.stoker.agent.ssh.fixtures.TestKeys
import io.stoker.engine.fixtures.ClosedPort
import io.stoker.server.Http
import io.stoker.server.audit.H2AuditLog
import io.stoker.server.db.Database
import io.stoker.server.secret.MasterKey
import io.stoker.server.secret.SecretBox
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path
import java.time.Clock
import java.util.concurrent.CopyOnWriteArrayList

/**
 * Two agent services on one database, as two servers of a cluster have: what one saves, the other reads again when
 * told (one agent, or all of them after its LISTEN connection came back), and the first one says what it saved.
 */
class AgentReloadSpec extends Specification {
    @TempDir Path dir
    Database db
    List<String> told = new CopyOnWriteArrayList<>()
    AgentService one
    AgentService two
    List<ClosedPort> closedPorts = []

    def setup() {
        db = Database.open(dir)
        def box = new SecretBox(MasterKey.load(dir, [:]))
        def audit = new H2AuditLog(db, Clock.systemUTC())
        one = new AgentService(new AgentRepository(db), box, audit, SshAgent.Settings.DEFAULTS, Clock.systemUTC(),
                new io.stoker.server.event.EventHub(), { String name -> told << name }, new AgentTaskStore(db))
        two = new AgentService(new AgentRepository(db), box, audit, SshAgent.Settings.DEFAULTS, Clock.systemUTC(),
                new io.stoker.server.event.EventHub(), { String name -> }, new AgentTaskStore(db))
    }

    def cleanup() {
        one?.close()
        two?.close()
        db?.close()
        closedPorts*.close()
    }

    /** An agent on a port nothing listens on: it stays offline, which is all these features need. */
    AgentInput agent(String name, List<String> labels) {
        def closed = new ClosedPort()
        closedPorts << closed
        int port = closed.port
        new AgentInput(name, '127.0.0.1', port, 'nobody', TestKeys.generate().privateKeyText(), labels, 1,
                'stoker-agent', null, true)
    }

    def "an agent registered and deleted through one service is added to and removed from the other when told"() {
        when:
        one.register(agent('far', ['gpu']), 'admin')

        then: 'the first one says so; the other knows nothing of it until told'
        told == ['far']
        two.list().isEmpty()

        when:
        two.reloadLater('far')

        then:
        Http.eventually { two.list()*.agent()*.name() == ['far'] }
        two.get('far').agent().labels() == ['gpu']

        when:
        one.delete('far', false, 'admin')
        two.reloadLater('far')

        then:
        told == ['far', 'far']
        Http.eventually { two.list().isEmpty() }
    }

    def "reading every agent again adds the ones missed and removes the ones deleted meanwhile"() {
        given: 'the other service knows an agent the first one deletes, and not one the first one registers'
        one.register(agent('old', ['a']), 'admin')
        two.startAll()
        one.delete('old', false, 'admin')
        one.register(agent('new', ['b']), 'admin')

        expect:
        two.list()*.agent()*.name() == ['old']

        when:
        two.reloadAllLater()

        then:
        Http.eventually { two.list()*.agent()*.name() == ['new'] }
        two.get('new').agent().labels() == ['b']
    }
}
