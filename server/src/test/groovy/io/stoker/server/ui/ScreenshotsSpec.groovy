package io.stoker.server.ui

import io.stoker.server.ScratchDirectory
import io.stoker.agent.ssh.fixtures.SshTestServer
import io.stoker.server.Http
import io.stoker.server.ServerSpecification
import spock.lang.IgnoreIf
import spock.lang.Shared

import java.nio.file.Files
import java.nio.file.Path

/**
 * Refreshes docs/screenshots/*.png (run by scripts/screenshots with -Dstoker.screenshots=DIR, never by the suite):
 * a server with a few projects, runs that passed, failed and run, and an SSH agent, photographed page by page.
 */
@IgnoreIf({ !System.getProperty('stoker.screenshots') || Browser.missing() != null })
class ScreenshotsSpec extends ServerSpecification {
    @Shared Path agentDir = ScratchDirectory.removedAtExit('ScreenshotsSpec') // agents may still clean up here as the spec ends
    @Shared SshTestServer ssh

    def cleanupSpec() {
        ssh?.close()
    }

    def "every main page is photographed"() {
        given:
        Path out = Files.createDirectories(Path.of(System.getProperty('stoker.screenshots')))
        freestyle('webshop', '''
job('release') {
  description 'Builds, tests and packages the shop'
  parameters {
    string 'version', defaultValue: '2.4.0'
    choice 'channel', choices: ['beta', 'stable']
    bool 'notes', defaultValue: true
  }
  task('checkout') { sh 'echo "fetching sources"' }
  task('compile') {
    needs 'checkout'
    sh 'for i in $(seq 1 400); do printf "\\033[36m[javac]\\033[0m compiling src/main/java/shop/Module$i.java\\n"; done; printf "\\033[1;32mBUILD SUCCESS\\033[0m\\n"'
  }
  task('test') {
    needs 'compile'
    matrix jdk: ['17', '21']
    sh 'echo "tests on jdk ${{ matrix.jdk }}: 412 passed"'
  }
  task('lint') { needs 'checkout'; sh 'echo "warning: unused import" >&2; echo ok' }
  task('version') { sh 'echo "version=${{ params.version }}" >> "$STOKER_OUTPUT"' }
  task('package') {
    needs 'test', 'lint', 'version'
    sh 'mkdir -p dist && echo "${{ outputs.version.version }}" > dist/VERSION'
    artifacts 'dist/**'
  }
}
job('nightly') { task('smoke') { sh 'exit 1' } }
job('docs') { task('gen') { sh 'echo "<html>"' }; task('publish') { input from: 'gen'; sh 'cat' } }
''')
        freestyle('payments', "job('deploy') { task('wait') { sh 'for i in \$(seq 1 1800); do sleep 0.1; done' } }\njob('audit') { task('scan') { sh 'true' } }\n" +
                "job('ship') { task('build') { sh 'echo built' }; task('prod') { needs 'build'; approval 'Deploy 2.5.0 to production?', approvers: ['admin', 'dana']; sh 'echo deployed' } }")
        ['release', 'release', 'nightly', 'docs', 'release'].each { awaitEnd(trigger('webshop', it)) }
        awaitEnd(trigger('payments', 'audit'))
        def release = trigger('webshop', 'release', [parameters: [version: '2.5.0', channel: 'stable']])
        awaitEnd(release)
        def running = trigger('payments', 'deploy')
        ssh = SshTestServer.start()
        assert http.post('/agents', [name: 'linux-builder-1', host: ssh.host(), port: ssh.port(), user: ssh.user(),
                                     privateKey: ssh.clientKeys().privateKeyText(), labels: ['linux', 'docker'], executors: 2,
                                     workDir: agentDir.toString(), hostKey: ssh.hostKeyFingerprint()]).status == 201
        http.post('/users', [username: 'dana', password: 'developer-password', role: 'developer'])
        http.post('/users', [username: 'vic', password: 'viewer-password-1', role: 'viewer'])
        http.put('/views/Payments', [filter: 'payments/'])
        def browser = new Browser(server.url(), 1280, 860)
        def shot = { String name -> Files.write(out.resolve(name + '.png'), browser.screenshot()) }

        when:
        browser.open('/#/login')
        browser.find('#username')
        shot('login')
        browser.login('admin', Http.ADMIN_PASSWORD)
        browser.text('#executors', 'linux-builder-1')
        browser.find('tr[data-job="webshop/release"]')
        shot('dashboard')
        browser.open('/#/jobs/webshop/release')
        browser.find('svg.graph .node')
        browser.find('tr[data-run]')
        shot('job')
        browser.open("/#/runs/$release/compile")
        browser.find('svg.graph .node[data-status="succeeded"]')
        browser.text('.log-toolbar', '40')
        browser.type('.log-search input', 'Module12')
        browser.click('.log-search button')
        browser.text('.log-results', 'match')
        shot('run')
        browser.open("/#/runs/$running/wait")
        browser.find('svg.graph .node[data-status="running"]')
        shot('run-live')
        def gated = trigger('payments', 'ship')
        browser.open("/#/runs/$gated/prod")
        browser.text('.approval', 'Deploy 2.5.0 to production?')
        shot('run-approval')
        browser.open('/#/new')
        def editor = browser.find('#jobfile')
        editor.sendKeys(org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.CONTROL, org.openqa.selenium.Keys.END))
        editor.sendKeys("job('broken') {\n  task('a') { needs 'nowhere'; sh 'true' }\n}\n")
        browser.text('#diagnostics .error', 'nowhere')
        shot('new-item')
        browser.open('/#/people')
        browser.find('tr[data-user="dana"]')
        shot('people')
        browser.open('/#/manage')
        browser.find('tr[data-agent]')
        shot('manage')
        browser.find('code[data-setting="slots"]')
        browser.js("document.querySelector('dl.settings').closest('section').scrollIntoView()")
        shot('manage-settings')
        freestyle('storefront', '''
job('release') {
  parameters { string 'v', defaultValue: '1.0.0' }
  publish version: '${{ params.v }}', keepLast: 10
  task('build') { sh 'mkdir -p dist && head -c 48000 /dev/urandom > dist/app.jar && echo "${{ params.v }}" > dist/VERSION'; artifacts 'dist/**' }
}
deploy('staging') { run 'echo started {file}'; file 'app.jar' }
deploy('production') { run 'echo started {file}'; file 'app.jar' }
deploy('canary') { run 'echo "health check failed" >&2; exit 1' }
''')
        ['2.3.0', '2.4.0', '2.5.0'].each { assert awaitEnd(trigger('storefront', 'release', [parameters: [v: it]])).status == 'succeeded' }
        [['2.4.0', 'staging'], ['2.4.0', 'production'], ['2.5.0', 'staging'], ['2.5.0', 'canary']].each { v, target ->
            def d = http.post('/projects/storefront/deployments', [version: v, target: target])
            assert d.status == 202, d.text
            Http.eventually { http.get('/projects/storefront/deployments').json.deployments.every { it.state != 'running' } }
        }
        browser.open('/#/projects/storefront/versions')
        browser.find('tr[data-version="2.5.0"]')
        shot('versions')
        browser.open('/#/projects/storefront/deployments')
        browser.text('table.deployments', 'canary')
        shot('deployments')
        browser.close()
        def narrow = new Browser(server.url(), 400, 800)
        narrow.login('admin', Http.ADMIN_PASSWORD)
        narrow.find('tr[data-job]')
        Files.write(out.resolve('dashboard-400px.png'), narrow.screenshot())
        narrow.driver.executeCdpCommand('Emulation.setEmulatedMedia', [features: [[name: 'prefers-color-scheme', value: 'dark']]])
        narrow.open("/#/runs/$release/compile")
        narrow.find('svg.graph .node[data-status="succeeded"]')
        narrow.text('.log-toolbar', '40')
        Files.write(out.resolve('run-dark-400px.png'), narrow.screenshot())
        narrow.close()
        http.delete("/runs/$running")
        http.delete("/runs/$gated")

        then:
        Files.list(out).withCloseable { it.count() } >= 12
    }
}
