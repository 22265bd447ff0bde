package io.stoker.server.ui

import io.stoker.server.ScratchDirectory
import io.stoker.agent.ssh.fixtures.SshTestServer
import io.stoker.agent.ssh.fixtures.TestKeys
import io.stoker.server.Http
import io.stoker.server.ServerSpecification
import spock.lang.IgnoreIf
import spock.lang.Shared
import spock.lang.Stepwise

import java.nio.file.Files
import java.nio.file.Path

/**
 * Agents in Manage Stoker, in Chromium against a real server and an in-process SSH server: an admin adds one with
 * the form (the key read from a file), sees the server's reason for bad input under the form, removes an idle one
 * after a question, and a busy one only with "Remove anyway"; installs one its host refused once the host accepts its
 * key, and trusts a changed host key only after a question that shows it; a developer is not offered any of it.
 */
@Stepwise
@IgnoreIf(value = { Browser.missing() != null }, reason = 'Chromium is not installed (run-tests installs chromium and chromium-driver)')
class WebUiAgentsSpec extends ServerSpecification {
    @Shared Browser browser
    @Shared SshTestServer ssh
    /** A machine that comes back with another host key. */
    @Shared SshTestServer moved
    @Shared Path work = ScratchDirectory.removedAtExit('WebUiAgentsSpec') // agents may still clean up here as the spec ends

    def setupSpec() {
        if (Browser.missing()) return
        ssh = SshTestServer.start()
        browser = new Browser(server.url())
        browser.login('admin', Http.ADMIN_PASSWORD)
    }

    def cleanupSpec() {
        Files.writeString(work.resolve('release'), '') // ends a task still waiting on the agent
        browser?.close()
        ssh?.close()
        moved?.close()
    }

    private void openManage() {
        browser.open('/#/manage')
        browser.driver.navigate().refresh()
        browser.find('#agent-form')
    }

    /** Fills the form for an agent on the SSH server, but for the host key. */
    private void fillAgent(String name, Path keyFile) {
        browser.type('#agent-name', name)
        browser.type('#agent-host', ssh.host())
        browser.type('#agent-port', String.valueOf(ssh.port()))
        browser.type('#agent-user', ssh.user())
        browser.find('#agent-key-file').sendKeys(keyFile.toAbsolutePath().toString())
        browser.until { browser.find('#agent-key').getAttribute('value').contains('PRIVATE KEY') }
        browser.type('#agent-labels', 'linux, lab')
        browser.type('#agent-work-dir', work.resolve(name).toString())
    }

    private Path keyFile() {
        def f = work.resolve('agent_key')
        if (!Files.exists(f)) Files.writeString(f, ssh.clientKeys().privateKeyText())
        f
    }

    def "an admin adds an SSH agent with the form, its key read from a file, and it comes online"() {
        given:
        openManage()

        when:
        fillAgent('lab', keyFile())
        browser.type('#agent-host-key', ssh.hostKeyFingerprint())
        browser.click('#add-agent')

        then:
        browser.text('#agent-form-error .notice', 'Agent lab added')
        browser.text('#agents tr[data-agent="lab"]', 'Online')
        def stored = http.get('/agents/lab').json
        stored.host == ssh.host()
        stored.port == ssh.port()
        stored.userLabels == ['linux', 'lab']
        stored.hostKey == ssh.hostKeyFingerprint()
        browser.find('#agent-key').getAttribute('value') == ''

        and: "its mode in words, in the table and the sidebar, the API's word first in what its title says"
        def words = [persistent: 'persistent agent (Java)', shell: 'shell only'][stored.mode]
        words != null
        browser.text('#agents tr[data-agent="lab"] td.agent-mode', words)
        browser.attributeOf('#agents tr[data-agent="lab"] td.agent-mode', 'title').startsWith(stored.mode + ': ')
        browser.text('#executors [data-agent="lab"] .agent-mode', words)
        browser.scriptErrors() == []
    }

    def "a host key that is not a fingerprint shows the server's reason under the Host key field, and adds no agent"() {
        given:
        openManage()

        when:
        fillAgent('typo', keyFile())
        browser.type('#agent-host-key', 'SHA256:nope')
        browser.click('#add-agent')

        then:
        def said = browser.text('#agent-form .field:has(#agent-host-key) .field-refusal .alert',
                'Host key: must be an OpenSSH SHA256 fingerprint')
        said.contains("not 'SHA256:nope'")
        http.get('/agents/typo').status == 404

        and: 'what was typed stays, to be mended'
        browser.find('#agent-name').getAttribute('value') == 'typo'
    }

    def "a secret's refusal shows beside its form, in view, and goes once an agent is added"() {
        given:
        openManage()

        when: 'a secret the server refuses'
        browser.type('#secret-name', 'bad name!')
        browser.type('#secret-value', 'whatever')
        browser.click('#secret-form button[type=submit]')

        then: 'the reason is under the field it names, where the person looks, not at the top of the page'
        browser.text('#secret-form .field:has(#secret-name) .field-refusal .alert', 'Name must be an environment variable name')
        browser.until {
            browser.js('''const r = document.querySelector('#secret-form .field-refusal .alert').getBoundingClientRect();
                return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight''')
        }

        when: 'an agent is then added'
        fillAgent('later', keyFile())
        browser.click('#agent-tofu')
        browser.click('#add-agent')

        then: 'the refusal, which no longer holds, is gone'
        browser.text('#agent-form-error .notice', 'Agent later added')
        browser.until { browser.all('#secret-form .field-refusal').isEmpty() }
        browser.find('#secret-name').getAttribute('aria-invalid') == null
        browser.scriptErrors() == []
    }

    def "Remove asks first, and removes an idle agent once answered OK"() {
        given:
        assert http.post('/agents', [name: 'spare', host: ssh.host(), port: ssh.port(), user: ssh.user(),
                                     privateKey: ssh.clientKeys().privateKeyText(), workDir: work.resolve('spare').toString(),
                                     trustOnFirstUse: true]).status == 201
        openManage()

        when: 'the question is answered Cancel'
        browser.answer('tr[data-agent="spare"] .remove-agent', false)

        then:
        http.get('/agents/spare').status == 200

        when: 'the question is answered OK'
        browser.answer('tr[data-agent="spare"] .remove-agent', true)

        then:
        browser.text('#agent-note .notice', 'Agent spare removed')
        browser.until { browser.all('#agents tr[data-agent="spare"]').isEmpty() }
        http.get('/agents/spare').status == 404
        browser.scriptErrors() == []
    }

    def "a busy agent is removed only with Remove anyway, after the server's reason"() {
        given: 'a task that holds the agent until the spec releases it'
        def release = work.resolve('release')
        freestyle('hold', """job('j') { task('t') { agent 'lab'; sh '''i=0; while [ ! -f '$release' ] && [ \$i -lt 1200 ]; do sleep 0.05; i=\$((i+1)); done''' } }""")
        def key = trigger('hold', 'j')
        Http.eventually { http.get('/agents/lab').json.busy == 1 }
        openManage()

        when:
        browser.answer('tr[data-agent="lab"] .remove-agent', true)

        then: 'the reason names the task, and the agent stays'
        browser.text('#agent-note .alert', "agent 'lab' runs 1 task")
        browser.text('#agent-note .alert', "$key/t")
        http.get('/agents/lab').status == 200

        when:
        browser.answer('#agent-note .force-remove-agent', true)

        then:
        browser.text('#agent-note .notice', 'Agent lab removed')
        http.get('/agents/lab').status == 404
        awaitEnd(key).status == 'failed'
        browser.scriptErrors() == []
    }

    def "Install says why it cannot yet, then brings an agent whose key its host refused online, with the labels it found"() {
        given: 'an agent whose key the host does not accept (yet)'
        def key = TestKeys.generate()
        assert http.post('/agents', [name: 'newkey', host: ssh.host(), port: ssh.port(), user: ssh.user(),
                                     privateKey: key.privateKeyText(), workDir: work.resolve('newkey').toString(),
                                     hostKey: ssh.hostKeyFingerprint()]).status == 201
        openManage()
        browser.text('#agents tr[data-agent="newkey"]', 'Blocked')
        browser.text('#agents tr[data-agent="newkey"] .reason', 'public key rejected by')

        when: 'Install while the host still refuses the key'
        browser.click('tr[data-agent="newkey"] .install-agent')

        then: "the server's reason, in words"
        browser.text('#agent-note .alert', "agent 'newkey' is blocked: public key rejected by")
        http.get('/agents/newkey').json.status == 'blocked'

        when: "the key is added to the host's authorized keys, and Install clicked again"
        ssh.authorize(key.pair().public)
        browser.click('tr[data-agent="newkey"] .install-agent')

        then: 'the labels it found, and the row follows'
        browser.text('#agent-note .notice', 'Agent newkey installed. Labels found:')
        browser.text('#agent-note .notice', 'os:linux')
        browser.text('#agents tr[data-agent="newkey"]', 'Online')
        browser.text('#agents tr[data-agent="newkey"]', 'os:linux')
        http.get('/agents/newkey').json.statusReason == null
        browser.scriptErrors() == []
    }

    def "a changed host key is trusted only after a question that shows the new fingerprint and warns of an impostor"() {
        given: 'an agent with a pinned host key, whose machine comes back with another one'
        moved = SshTestServer.start()
        def old = moved.hostKeyFingerprint()
        assert http.post('/agents', [name: 'moved', host: moved.host(), port: moved.port(), user: moved.user(),
                                     privateKey: moved.clientKeys().privateKeyText(), workDir: work.resolve('moved').toString(),
                                     hostKey: old]).status == 201
        Http.eventually { http.get('/agents/moved').json.status == 'online' }
        moved.restart(true)
        def fresh = moved.hostKeyFingerprint()
        Http.eventually { http.get('/agents/moved').json.status == 'blocked' }
        assert http.get('/agents/moved').json.offeredHostKey == fresh
        openManage()
        browser.text('#agents tr[data-agent="moved"]', 'Blocked')

        when: 'Trust new host key is clicked, and the question answered Cancel'
        browser.click('tr[data-agent="moved"] .trust-host-key')
        def question = browser.until { browser.dialog() }
        def asked = question.text
        question.dismiss()

        then: 'it showed the new fingerprint and said what a wrong answer does; nothing was pinned'
        asked.contains(fresh)
        asked.contains('impostor')
        http.get('/agents/moved').json.hostKey == old

        when: 'answered OK'
        browser.answer('tr[data-agent="moved"] .trust-host-key', true)

        then: 'the new key is pinned, the agent is online, and the row offers no trust any more'
        browser.text('#agent-note .notice', "Agent moved now trusts host key $fresh")
        browser.text('#agents tr[data-agent="moved"]', 'Online')
        with(http.get('/agents/moved').json) {
            hostKey == fresh
            offeredHostKey == null
        }
        browser.until { browser.all('tr[data-agent="moved"] .trust-host-key').isEmpty() }
        browser.scriptErrors() == []
    }

    def "a developer is offered neither the agent form nor Remove, Install or Trust new host key"() {
        given:
        assert http.post('/users', [username: 'devi', password: 'developer-pass-1', role: 'developer']).status == 201
        assert http.post('/agents', [name: 'kept', host: ssh.host(), port: ssh.port(), user: ssh.user(),
                                     privateKey: ssh.clientKeys().privateKeyText(), workDir: work.resolve('kept').toString(),
                                     trustOnFirstUse: true]).status == 201
        browser.js('sessionStorage.clear()')
        browser.driver.navigate().refresh()
        browser.login('devi', 'developer-pass-1')

        when:
        browser.open('/#/manage')

        then:
        browser.text('#forbidden', 'for admins')
        browser.all('#agent-form').isEmpty()
        browser.all('.remove-agent').isEmpty()
        browser.all('.install-agent').isEmpty()
        browser.all('.trust-host-key').isEmpty()
    }
}
