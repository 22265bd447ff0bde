package io.stoker.server.ui

import io.stoker.server.Http
import io.stoker.server.MigratedDatabase
import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.StokerServer
import io.stoker.server.git.TestRepo
import spock.lang.IgnoreIf
import spock.lang.Shared
import spock.lang.Stepwise

import java.nio.file.Files

import static io.stoker.server.forge.HostPayloads.githubHeaders
import static io.stoker.server.forge.HostPayloads.githubPush
import static io.stoker.server.forge.HostPayloads.json

/**
 * A project's page in Chromium against a real server: its jobs, and its own secrets — a member adds one and gives it
 * a new value, never seeing a value again, sees the server's refusal of a bad name, and deletes one after a question;
 * a developer who is not a member sees the names only, and a viewer is told who may. A member edits a freestyle
 * project's Jobfile, checked by the server as typed; a git project's is edited in its repository. A git project whose pushed
 * Jobfile does not compile shows a banner naming the branch, the commit and the first errors with line:col. Its Targets
 * say what each deploy target runs now and how its latest attempt went. A member deletes the project after a
 * question, once its runs going (named) ended.
 */
@Stepwise
@IgnoreIf(value = { Browser.missing() != null }, reason = 'Chromium is not installed (run-tests installs chromium and chromium-driver)')
class WebUiProjectPageSpec extends ServerSpecification {
    @Shared Browser browser

    static final String DEV_PASSWORD = 'developer-pass-1'
    static final String HOOK_SECRET = 'ui-hook-secret'

    @Shared TestRepo repo

    @Override
    StokerServer startServer(ServerConfig config) {
        StokerServer.start(MigratedDatabase.into(config.withWebhookSecret(HOOK_SECRET)))
    }

    def setupSpec() {
        if (Browser.missing()) return
        freestyle('shop', "job('build') { task('t') { sh 'true' } }")
        [[username: 'devi', role: 'developer'], [username: 'dora', role: 'developer'], [username: 'vera', role: 'viewer']].each {
            def r = http.post('/users', it + [password: DEV_PASSWORD])
            assert r.status == 201, r.text
        }
        assert http.put('/projects/shop/members/devi', null).status in [200, 204]
        browser = new Browser(server.url())
        loginAs('devi')
    }

    def cleanupSpec() {
        browser?.close()
        repo?.close()
    }

    /** Starts a new session in the tab as {@code user}. */
    private void loginAs(String user) {
        browser.js('sessionStorage.clear()')
        browser.open('/#/login')
        browser.driver.navigate().refresh()
        browser.type('#username', user)
        browser.type('#password', user == 'admin' ? Http.ADMIN_PASSWORD : DEV_PASSWORD)
        browser.click('#login')
        browser.find('#logout')
    }

    /** Opens shop's page afresh and waits for what its secrets section shows this user. */
    private void openProject(String shown = '#project-secrets') {
        browser.open('/#/projects/shop')
        browser.driver.navigate().refresh()
        browser.find(shown)
    }

    private void saveSecret(String name, String value) {
        browser.type('#project-secret-name', name)
        browser.type('#project-secret-value', value)
        browser.click('#project-secret-form button[type=submit]')
    }

    private List<String> secretNames() {
        http.get('/secrets?project=shop').json*.name
    }

    def "the job page's project name leads to the project's page, which lists its jobs"() {
        given:
        browser.open('/#/jobs/shop/build')
        browser.driver.navigate().refresh()

        when:
        browser.click('.page-head h1 a')

        then:
        browser.text('main h1', 'Project shop')
        browser.driver.currentUrl.endsWith('#/projects/shop')
        browser.find('.project-jobs a[href="#/jobs/shop/build"]')
        browser.scriptErrors() == []
    }

    def "a freestyle project's page shows its Jobfile, which is kept nowhere else, and says how it is replaced"() {
        when:
        browser.click('#project-jobfile summary')

        then:
        browser.text('#project-jobfile pre', "job('build') { task('t') { sh 'true' } }")
        browser.text('main', 'stoker project update shop --jobfile FILE')
    }

    def "a member edits a freestyle project's Jobfile: the server's check names line:col and holds Save until it compiles"() {
        given:
        String broken = "job('build') {\n  task('t') { nonsense 'x' }\n}\n"
        String fixed = "job('build') { task('t') { sh 'true' } }\njob('deploy') { task('d') { sh 'true' } }\n"
        openProject()

        when:
        browser.click('.edit-jobfile')

        then: 'the editor holds the Jobfile, which the server finds valid'
        browser.find('#project-jobfile-text').getAttribute('value') == "job('build') { task('t') { sh 'true' } }"
        browser.text('#project-jobfile-diagnostics', 'The Jobfile is valid')

        when: 'a word the DSL does not know'
        browser.type('#project-jobfile-text', broken)

        then: 'its place, and Save held'
        browser.text('#project-jobfile-diagnostics li.error a[data-line="2"]', '2:15')
        browser.text('#project-jobfile-diagnostics li.error', "unknown word 'nonsense'")
        browser.until { !browser.find('#project-jobfile-save').enabled }

        when: 'mended, and saved'
        browser.type('#project-jobfile-text', fixed)
        browser.text('#project-jobfile-diagnostics', 'The Jobfile is valid')
        browser.until { browser.find('#project-jobfile-save').enabled }
        browser.click('#project-jobfile-save')

        then: 'the project has it, with its new job, as the page now shows'
        browser.text('#project-jobfile-note .notice', 'Jobfile saved')
        browser.find('.project-jobs a[href="#/jobs/shop/deploy"]')
        http.get('/projects/shop').json.jobfile == fixed
        http.get('/audit?action=project.updated').json.any { it.target == 'shop' && it.actor == 'devi' }
        browser.all('#project-jobfile-text').isEmpty()
        browser.js('return document.querySelector("#project-jobfile pre").textContent') == fixed
        browser.scriptErrors() == []
    }

    def "a git project whose pushed Jobfile does not compile shows a banner with the branch, the commit and line:col"() {
        given: 'a git project, and a push of a Jobfile with an unknown word at line 2, column 15'
        repo = TestRepo.create(Files.createDirectories(dataDir.resolveSibling(dataDir.fileName.toString() + '-git'))
                .resolve('site.git'))
        String first = repo.commit('main', 'first', [Jobfile: "job('build') {\n  task('t') { sh 'true' }\n}\n"])
        assert http.post('/projects', [name: 'site', gitUrl: repo.url(), branch: 'main']).status == 201
        String broken = repo.commit('main', 'broken', [Jobfile: "job('build') {\n  task('t') { nonsense 'x' }\n}\n"])
        byte[] body = json(githubPush(repo.url(), 'refs/heads/main', first, broken, []))
        assert http.postRaw('/hooks/github', body, githubHeaders(body, HOOK_SECRET)).json.projects[0].outcome == 'failed'

        when:
        browser.open('/#/projects/site')
        browser.driver.navigate().refresh()

        then:
        browser.text('.jobfile-problem[data-ref="refs/heads/main"]', 'The Jobfile of branch main does not compile')
        browser.text('.jobfile-problem', broken.take(10))
        browser.text('.jobfile-problem li', "Jobfile:2:15 unknown word 'nonsense'")
        browser.find('.jobfile-problem').getAttribute('role') == 'alert'
        browser.scriptErrors() == []

        when: 'a push whose Jobfile compiles'
        String fixed = repo.commit('main', 'fixed', [Jobfile: "job('build') {\n  task('t') { sh 'true' }\n}\n"])
        body = json(githubPush(repo.url(), 'refs/heads/main', broken, fixed, []))
        assert http.postRaw('/hooks/github', body, githubHeaders(body, HOOK_SECRET)).status in [200, 202]
        browser.driver.navigate().refresh()
        browser.find('.project-jobs')

        then: 'the banner is gone'
        browser.all('.jobfile-problem').isEmpty()
        and: 'its Jobfile is edited in the repository, not here'
        browser.text('#project-jobfile-git', 'edited in the repository')
        browser.all('.edit-jobfile').isEmpty()
    }

    def "a member adds a secret of the project, whose value the page never shows"() {
        given:
        String value = 'project-secret-value-7d21'
        openProject()
        browser.text('#project-secrets', 'No secrets')

        when:
        saveSecret('DEPLOY_KEY', value)

        then: 'the server has it in the project, and the page lists its name only'
        browser.text('#project-secret-error .notice', 'Secret DEPLOY_KEY added')
        browser.text('li[data-secret="DEPLOY_KEY"]', 'by devi')
        with(http.get('/secrets?project=shop').json.find { it.name == 'DEPLOY_KEY' }) {
            scope == 'project'
            project == 'shop'
        }
        !browser.driver.pageSource.contains(value)
        browser.find('#project-secret-value').getAttribute('value') == ''
        browser.find('#project-secret-value').getAttribute('type') == 'password'
        browser.scriptErrors() == []
    }

    def "saving a name the project has already gives that secret the new value"() {
        given:
        openProject()
        browser.find('li[data-secret="DEPLOY_KEY"]')

        when:
        saveSecret('DEPLOY_KEY', 'the-second-value')

        then:
        browser.text('#project-secret-error .notice', 'Secret DEPLOY_KEY replaced')
        http.get('/audit?action=secret.updated').json.any { it.target == 'DEPLOY_KEY' && it.actor == 'devi' && it.detail.project == 'shop' }
        secretNames() == ['DEPLOY_KEY']
        browser.scriptErrors() == []
    }

    def "a name that is not a variable name shows the server's reason beside the Name field"() {
        given:
        openProject()

        when:
        saveSecret('deploy-key', 'x')

        then:
        def said = browser.text('#project-secret-form .field:has(#project-secret-name) .field-refusal .alert',
                'Name must be an environment variable name')
        !said.contains('field: name') // where it shows says that
        browser.find('#project-secret-name').getAttribute('aria-invalid') == 'true'
        !secretNames().contains('deploy-key')
    }

    def "Delete asks first, and deletes the project's secret once answered OK"() {
        given:
        assert http.post('/secrets', [name: 'OLD_TOKEN', value: 'v', project: 'shop']).status == 201
        openProject()

        when: 'the question is answered Cancel'
        browser.answer('li[data-secret="OLD_TOKEN"] .delete-secret', false)

        then:
        secretNames().contains('OLD_TOKEN')

        when: 'the question is answered OK'
        browser.answer('li[data-secret="OLD_TOKEN"] .delete-secret', true)

        then:
        browser.until { browser.all('li[data-secret="OLD_TOKEN"]').isEmpty() }
        !secretNames().contains('OLD_TOKEN')
        secretNames().contains('DEPLOY_KEY')
        browser.scriptErrors() == []
    }

    def "a developer who is not a member is told whose the secrets are, shown no names and no form"() {
        given:
        loginAs('dora')

        when: 'the server lists a project\'s secrets to its members and admins only'
        openProject('#project-secrets-forbidden')

        then:
        browser.text('#project-secrets-forbidden', 'for its members and admins')
        [browser.all('li[data-secret]'), browser.all('.alert'), browser.all('#project-secret-form'),
         browser.all('.delete-secret'), browser.all('.edit-jobfile')].every { it.isEmpty() }
        browser.scriptErrors() == []
    }

    def "a viewer is told who may see the project's secrets, not shown an error"() {
        given:
        loginAs('vera')

        when:
        openProject('#project-secrets-forbidden')

        then: 'the jobs are there, no refusal from the server, and no form'
        browser.find('.project-jobs')
        browser.text('#project-secrets-forbidden', 'for its members and admins')
        [browser.all('.alert'), browser.all('#project-secret-form')].every { it.isEmpty() }
    }

    def "an admin is offered the form on any project, and a project that is not there is Not found"() {
        given:
        loginAs('admin')

        when:
        openProject()

        then:
        browser.find('#project-secret-form')
        browser.find('li[data-secret="DEPLOY_KEY"] .delete-secret')

        when:
        browser.open('/#/projects/nowhere')

        then:
        browser.text('#page-error h1', 'Not found')
        browser.text('#page-error', 'nowhere')
    }

    def "a project's Versions and Deployments pages are reached from its page, and say how to make the first one"() {
        given: 'a project that publishes nothing and has no deploy target'
        openProject()

        when:
        browser.click('#project-versions')

        then:
        browser.text('main h1', 'Versions')
        browser.text('#versions-empty', 'No versions yet')
        browser.text('#versions-empty', "publish version:")

        when: 'its Deployments, from the Versions page'
        browser.click('.page-head a[href$="/deployments"]')

        then:
        browser.text('main h1', 'Deployments')
        browser.text('#deployments-empty', "deploy('staging')")
        browser.text('#deployments-empty', 'stoker deploy shop VERSION --to staging')
        browser.scriptErrors() == []
    }

    def "a published version and its deployment are listed, the deployment leading to the run that deployed it"() {
        given: 'a version published by a run and deployed to a target'
        freestyle('rel', """
job('release') { publish version: '1.0'; task('b') { sh 'mkdir -p dist && echo app > dist/app.txt'; artifacts 'dist/**' } }
deploy('staging') { run 'echo deployed' }
""")
        def release = trigger('rel', 'release')
        assert awaitEnd(release).status == 'succeeded'
        def deployed = http.post('/projects/rel/deployments', [version: '1.0', target: 'staging'])
        assert deployed.status == 202, deployed.text
        Http.eventually { http.get('/projects/rel/deployments').json.deployments[0].state == 'good' }

        when:
        browser.open('/#/projects/rel/versions')
        browser.driver.navigate().refresh()

        then: 'the version, marked good by the deployment, with the run that made it (by its number) and its files'
        browser.text('tr[data-version="1.0"]', 'Good')
        browser.text('tr[data-version="1.0"]', '1 file')
        browser.find("tr[data-version='1.0'] a[href='#/runs/$release']")
        browser.textOf('tr[data-version="1.0"] a.version-run') == "release #${http.get("/runs/$release").json.number}"

        when: 'its archive is downloaded'
        browser.click('tr[data-version="1.0"] .version-archive')

        then:
        browser.until { java.nio.file.Files.exists(browser.downloads.resolve('rel-1.0.tar.gz')) }

        when: 'the deployments are opened'
        browser.open('/#/projects/rel/deployments')

        then: 'where, which version, how it went, who, and the run, by its number as every page names runs'
        def row = browser.text('table.deployments tbody tr', 'staging')
        ['1.0', 'Good', 'admin', 'deployed'].every { row.contains(it) }
        browser.textOf('table.deployments a.deployment-run') == "#${runNumber(deployed.json.run)}"

        when:
        browser.click("table.deployments a[href='#/runs/${deployed.json.run}']")

        then:
        browser.until { browser.driver.currentUrl.contains("#/runs/${deployed.json.run}") }
        browser.find('svg.graph')
        browser.scriptErrors() == []
    }

    def "the project's Targets show what each deploy target runs now, its latest attempt, and lead to their runs"() {
        given: 'staging took 1.0 well, prod failed it (its first: nothing to roll back to), qa was never deployed'
        freestyle('tgt', """
job('release') {
  parameters { string 'V', defaultValue: '1.0' }
  publish version: '\${{ params.V }}'
  task('b') { sh 'echo app > app.txt'; artifacts 'app.txt' }
}
deploy('staging') { run 'true' }
deploy('prod') { run 'false' }
deploy('qa') { run 'true' }
deploy('eu') { run 'test "\$STOKER_DEPLOY_VERSION" != 2.0' }
""")
        ['1.0', '2.0'].each { assert awaitEnd(trigger('tgt', 'release', [parameters: [V: it]])).status == 'succeeded' }
        def staging = http.post('/projects/tgt/deployments', [version: '1.0', target: 'staging'])
        def prod = http.post('/projects/tgt/deployments', [version: '1.0', target: 'prod'])
        def eu = http.post('/projects/tgt/deployments', [version: '1.0', target: 'eu'])
        assert staging.status == 202 && prod.status == 202 && eu.status == 202
        Http.eventually { http.get('/projects/tgt/deployments').json.deployments.every { it.state != 'running' } }

        and: 'eu took 1.0 well, then failed 2.0, and stoker brought 1.0 back'
        def failed = http.post('/projects/tgt/deployments', [version: '2.0', target: 'eu'])
        assert failed.status == 202
        Http.eventually(60_000) {
            http.get('/projects/tgt/deployments?target=eu').json.deployments.any { it.reason == 'auto-rollback' && it.state == 'good' }
        }

        when:
        browser.open('/#/projects/tgt')
        browser.driver.navigate().refresh()

        then: 'one row per target of the Jobfile, in its order'
        browser.find('table.targets')
        browser.all('table.targets tbody tr')*.getAttribute('data-target') == ['staging', 'prod', 'qa', 'eu']

        and: 'staging runs 1.0, deployed by admin, good; prod runs nothing and its attempt failed; qa never deployed'
        def stagingRow = browser.text('tr[data-target="staging"]', '1.0')
        ['admin', 'Good'].every { stagingRow.contains(it) }
        def prodRow = browser.text('tr[data-target="prod"]', 'nothing yet')
        ['Bad', '1.0'].every { prodRow.contains(it) }
        browser.text('tr[data-target="qa"]', 'Never deployed')

        and: 'the runs by their numbers, as every page names runs'
        browser.textOf("tr[data-target='staging'] a.target-current-run") == "#${runNumber(staging.json.run)}"
        browser.textOf("tr[data-target='prod'] a.target-latest-run") == "#${runNumber(prod.json.run)}"

        and: 'eu runs 1.0 as stoker rolled it back, and its latest attempt is 2.0, bad and rolled back'
        def euRow = browser.text('tr[data-target="eu"]', 'rolled back automatically')
        ['1.0', 'stoker', 'Bad', '2.0', "run #${runNumber(failed.json.run)}", ', rolled back'].every { euRow.contains(it) }

        when: 'the run that deployed what staging runs is followed'
        browser.click("tr[data-target='staging'] a.target-current-run")

        then:
        browser.until { browser.driver.currentUrl.contains("#/runs/${staging.json.run}") }
        browser.find('svg.graph')
        browser.scriptErrors() == []
    }

    def "the Targets follow a deployment as it starts, works, fails and is rolled back, with no reload"() {
        given: 'versions 1, 2 and 3 (their runs\' numbers); a deployment waits for its version\'s gate file, and 3 fails'
        def gates = Files.createDirectories(dataDir.resolve('gates'))
        freestyle('live', """
job('release') { publish(); task('b') { sh 'echo app > app.txt'; artifacts 'app.txt' } }
deploy('staging') { run 'test "\$STOKER_DEPLOY_VERSION" != 3 && for i in \$(seq 1200); do test -f $gates/go-\$STOKER_DEPLOY_VERSION && exit 0; sleep 0.1; done; exit 1' }
""")
        3.times { assert awaitEnd(trigger('live', 'release')).status == 'succeeded' }
        Files.createFile(gates.resolve('go-1'))
        deploy('live', '1')
        Http.eventually { http.get('/projects/live/targets').json.targets[0].state == 'good' }

        when:
        browser.open('/#/projects/live')
        browser.driver.navigate().refresh()
        browser.until { stagingCell('td:nth-child(2)') == '1' }
        browser.js('window.notReloaded = true')

        and: 'version 2 is deployed, its run waiting at its gate'
        String two = "#${runNumber(deploy('live', '2').json.run)}"

        then: 'the target shows the deployment going'
        browser.until { stagingState() == 'running' && stagingCell('a.target-latest-run') == two }

        when: 'its gate opens'
        Files.createFile(gates.resolve('go-2'))

        then: 'the target runs 2, deployed by the run that did it'
        browser.until { stagingState() == 'good' && stagingCell('td:nth-child(2)') == '2' && stagingCell('a.target-current-run') == two }

        when: 'version 3 is deployed: it fails, and the server rolls back to 2'
        deploy('live', '3')

        then: 'the target runs 2 again, rolled back automatically, and its latest attempt is 3, bad and rolled back'
        browser.until { stagingState() == 'bad' && stagingCell('td:nth-child(4)')?.contains('rolled back automatically') }
        stagingCell('td:nth-child(2)') == '2'
        stagingCell('.target-rolled-back') == ', rolled back'

        and: 'all that without a reload'
        browser.js('return window.notReloaded') == true
        browser.scriptErrors() == []
    }

    /** The text of a cell of staging's row in the Targets, read in one step (the section is drawn again as it changes). */
    private String stagingCell(String css) {
        browser.textOf("tr[data-target='staging'] $css")
    }

    private String stagingState() {
        browser.js("return document.querySelector('tr[data-target=staging]')?.dataset.state")
    }

    def "a member deploys a version and rolls a target back from the Targets, which then show it; a viewer is offered neither"() {
        given: 'devi, a member of live, where staging runs 2 (versions 1 and 2 pass their gates, 3 fails)'
        assert http.put('/projects/live/members/devi', null).status in [200, 204]
        loginAs('devi')
        browser.open('/#/projects/live')
        browser.driver.navigate().refresh()
        browser.until { stagingCell('td:nth-child(2)') == '2' }

        when: 'version 1 is deployed to staging'
        browser.type('#deploy-version', '1')
        browser.click('#deploy-form button[type=submit]')

        then: 'the form names the run that deploys it, and staging comes to run 1, deployed by devi'
        browser.text('#deploy-note', 'Deploying 1 to staging, run #')
        browser.until { stagingState() == 'good' && stagingCell('td:nth-child(2)') == '1' && stagingCell('td:nth-child(4)') == 'devi' }

        when: 'a version the project never published'
        browser.type('#deploy-version', '9.9')
        browser.click('#deploy-form button[type=submit]')

        then: 'the server\'s reason shows under the form'
        browser.text('#deploy-note', "no version '9.9' of project 'live'")

        when: 'Roll back on staging, answered OK'
        browser.answer("tr[data-target='staging'] button.rollback", true)

        then: 'staging runs 2 again, rolled back by devi'
        browser.text('#deploy-note', 'Rolling back staging, run #')
        browser.until { stagingState() == 'good' && stagingCell('td:nth-child(2)') == '2' && stagingCell('td:nth-child(4)') == 'devi rolled back' }

        when: 'a viewer opens the page'
        loginAs('vera')
        browser.open('/#/projects/live')
        browser.driver.navigate().refresh()
        browser.find('#project-targets')

        then: 'the Targets, but no form and no Roll back'
        browser.all('#deploy-form').isEmpty()
        browser.all('button.rollback').isEmpty()
        browser.scriptErrors() == []
    }

    def "a project's Deployments list a deployment as it starts and say how it went, with no reload"() {
        given: 'version 1\'s gate closed again'
        def gate = dataDir.resolve('gates').resolve('go-1')
        Files.delete(gate)
        browser.open('/#/projects/live/deployments')
        browser.driver.navigate().refresh()
        browser.find('table.deployments')
        browser.js('window.notReloaded = true')
        def state = { long id -> browser.js("return document.querySelector('tr[data-deployment=\"$id\"]')?.dataset.state") }

        when:
        long id = deploy('live', '1').json.id

        then: 'it is listed first, going'
        browser.until { browser.js("return document.querySelector('table.deployments tbody tr')?.dataset.deployment") == "$id" }
        browser.until { state(id) == 'running' }

        when: 'its gate opens'
        Files.createFile(gate)

        then: 'it is good, and the page was not reloaded'
        browser.until { state(id) == 'good' }
        browser.js('return window.notReloaded') == true
        browser.scriptErrors() == []
    }

    /** The number of run {@code key} of its job, as people name runs. */
    private long runNumber(String key) {
        http.get("/runs/$key").json.number
    }

    private Http.Reply deploy(String project, String version) {
        def r = http.post("/projects/$project/deployments", [version: version, target: 'staging'])
        assert r.status == 202, r.text
        r
    }

    def "Delete project asks first, names the runs going that stop it, and once they ended deletes the project"() {
        given: 'a project of a member, with a run going'
        freestyle('scrap', '''job('hold') { parameters { string 'flag', defaultValue: '' }
            task('t') { sh 'while [ ! -f "${{ params.flag }}" ]; do sleep 0.1; done' } }''')
        assert http.put('/projects/scrap/members/devi', null).status in [200, 204]
        def flag = Files.createTempDirectory('scrap').resolve('may-end')
        def going = trigger('scrap', 'hold', [parameters: [flag: flag.toString()]])
        loginAs('devi')
        browser.open('/#/projects/scrap')
        browser.driver.navigate().refresh()

        when: 'the question is answered Cancel'
        browser.answer('.delete-project', false)

        then:
        http.get('/projects/scrap').status == 200

        when: 'answered OK while the run goes'
        browser.answer('.delete-project', true)

        then: 'the run that stops it is named, a link to it'
        browser.text('#project-delete-note', 'cancel them first')
        browser.find("#project-delete-note a[href='#/runs/$going']")
        http.get('/projects/scrap').status == 200

        when: 'the run ended, and OK again'
        Files.createFile(flag)
        awaitEnd(going)
        browser.answer('.delete-project', true)

        then: 'gone, and the dashboard shows'
        browser.until { browser.driver.currentUrl.endsWith('#/') }
        http.get('/projects/scrap').status == 404
        browser.scriptErrors() == []
    }

    def "a developer who is not a member is not offered Delete project"() {
        when:
        loginAs('dora')
        browser.open('/#/projects/shop')
        browser.driver.navigate().refresh()
        browser.find('#project-secrets-forbidden')

        then:
        browser.all('.delete-project').isEmpty()
    }
}
