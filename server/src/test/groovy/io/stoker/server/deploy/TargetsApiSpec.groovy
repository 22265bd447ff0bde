package io.stoker.server.deploy

import io.stoker.server.Http
import io.stoker.server.ServerSpecification
import io.stoker.server.api.ReplySchemas
import spock.lang.Shared
import spock.lang.Stepwise

/**
 * {@code GET /api/v1/projects/{p}/targets} on a real server over loopback: what each deploy target runs now, as real
 * deployments leave it — never deployed, good, a first deployment that failed, one that failed after a good one (and
 * was rolled back), one going after a good one (then cancelled, which brings the good version back), a target removed
 * from the Jobfile — each reply as the OpenAPI
 * document describes it; an unknown project is a 404 and a viewer reads it as the deployments.
 */
@Stepwise
class TargetsApiSpec extends ServerSpecification {
    /** web fails version 2.0 and holds 3.0 until cancelled; db fails 2.0; cache takes anything. */
    static String jobfile(boolean withWeb = true) {
        """
job('release') {
  parameters { string 'V', defaultValue: '1.0' }
  publish version: '\${{ params.V }}'
  task('build') { sh 'echo "app \$V" > app.txt'; artifacts 'app.txt' }
}
${withWeb ? "deploy('web') { run 'test \"\$STOKER_DEPLOY_VERSION\" != 2.0 && { test \"\$STOKER_DEPLOY_VERSION\" != 3.0 || sleep 120; }' }" : ''}
deploy('db') { run 'test "\$STOKER_DEPLOY_VERSION" != 2.0' }
deploy('cache') { run 'true' }
"""
    }

    @Shared String slowRun

    def setupSpec() {
        freestyle('shop', jobfile())
        ['1.0', '2.0', '3.0'].each { assert awaitEnd(trigger('shop', 'release', [parameters: [V: it]])).status == 'succeeded' }
    }

    /** The targets reply, checked against the document's schema. */
    Map targets() {
        def r = http.get('/projects/shop/targets')
        assert r.status == 200, r.text
        assert ReplySchemas.problems('GET', '/projects/{project}/targets', 200, r.text) == []
        r.json
    }

    Map target(String name) {
        targets().targets.find { it.target == name }
    }

    /** The deployment once judged. */
    Map judged(long id) {
        Http.eventually(60_000) {
            def d = http.get("/projects/shop/deployments/$id").json
            d.state == 'running' ? null : d
        }
    }

    Map deploy(String version, String target) {
        def r = http.post('/projects/shop/deployments', [version: version, target: target])
        assert r.status == 202, r.text
        r.json
    }

    def "before any deployment every target of the Jobfile is listed, in its order, as never deployed"() {
        expect:
        targets().targets == ['web', 'db', 'cache'].collect {
            [target: it, declared: true, state: 'never-deployed', current: null, latest: null, rolledBack: false]
        }
    }

    def "a good deployment is what the target runs; a first deployment that failed is its latest attempt"() {
        given:
        def good = deploy('1.0', 'web')
        assert judged(good.id).state == 'good'
        def failed = deploy('2.0', 'db')
        assert judged(failed.id).state == 'bad'

        when:
        def web = target('web')
        def db = target('db')

        then: 'web runs 1.0 since it was judged good, deployed by admin, with the deployment and its run (by key, and by number of its job, as people name runs)'
        web.state == 'good'
        web.current.id == good.id
        web.current.version == '1.0'
        web.current.by == 'admin'
        web.current.run == good.run
        web.current.runNumber == http.get("/runs/$good.run").json.number
        web.current.job == 'deploy-web'
        http.get("/projects/shop/jobs/deploy-web/runs/$web.current.runNumber").json.key == good.run
        web.current.endedAt != null
        web.latest == null

        and: 'db runs nothing: its only deployment failed, and no earlier version was there to come back'
        db.state == 'bad'
        db.current == null
        db.latest.id == failed.id
        db.latest.version == '2.0'
        db.latest.runNumber == http.get("/runs/$failed.run").json.number
        db.latest.job == 'deploy-db'

        and: 'cache is still never deployed'
        target('cache').state == 'never-deployed'
    }

    def "a deployment that fails after the good one is rolled back: the target runs the good version again, the failure is its latest attempt"() {
        when: '2.0 fails on web, which ran 1.0: stoker deploys 1.0 again'
        def failed = deploy('2.0', 'web')
        assert judged(failed.id).state == 'bad'
        def back = Http.eventually(60_000) {
            http.get('/projects/shop/deployments?target=web').json.deployments.find {
                it.reason == 'auto-rollback' && it.id > failed.id && it.state != 'running' }
        }
        def web = target('web')

        then: 'the rollback worked: web runs 1.0 as stoker brought it back'
        back.state == 'good'
        web.current.id == back.id
        web.current.version == '1.0'
        web.current.by == 'stoker'
        web.current.reason == 'auto-rollback'

        and: '2.0, which failed and was rolled back, is its latest attempt, as the deployments list it'
        web.state == 'bad'
        web.latest.id == failed.id
        web.latest.version == '2.0'
        web.latest.state == 'bad'
        web.latest.endedAt != null
        web.rolledBack == true
    }

    def "a deployment going after the good one is shown beside it, and once cancelled the good version is back"() {
        when: '3.0 is being deployed to web'
        def slow = deploy('3.0', 'web')
        slowRun = slow.run
        Http.eventually { http.get("/runs/$slow.run").json.tasks.deploy.status == 'running' }
        def web = target('web')

        then: 'web still runs 1.0, and 3.0 is its latest attempt, going'
        web.state == 'running'
        web.current.version == '1.0'
        web.latest.id == slow.id
        web.latest.version == '3.0'
        web.latest.endedAt == null

        when: 'it is cancelled: the last good version is deployed again by stoker'
        assert http.delete("/runs/$slow.run").status == 202
        def back = Http.eventually(60_000) {
            def t = target('web')
            t.current.reason == 'auto-rollback' && t.current.id > slow.id ? t : null
        }

        then: 'web runs 1.0 again, and the cancelled 3.0 is its latest attempt'
        back.current.version == '1.0'
        back.current.by == 'stoker'
        back.state == 'cancelled'
        back.latest.id == slow.id
        back.latest.state == 'cancelled'

        and: 'it names its run as people know runs, and the log to read'
        def number = http.get("/runs/$slow.run").json.number
        back.latest.detail == "version 3.0 was not judged on web (its run #$number was cancelled; " +
                "'stoker logs shop/deploy-web#$number' shows how far it got)"
    }

    def "a target removed from the Jobfile keeps showing what it ran, after the ones the Jobfile declares"() {
        given:
        assert http.put('/projects/shop', [jobfile: jobfile(false)]).status == 200

        expect:
        targets().targets.collect { [it.target, it.declared, it.state, it.current?.version] } == [
                ['db', true, 'bad', null], ['cache', true, 'never-deployed', null], ['web', false, 'cancelled', '1.0']]
    }

    def "an unknown project is a 404 in JSON, and a viewer reads a project's targets as its deployments"() {
        given:
        assert http.post('/users', [username: 'vera', role: 'viewer', password: 'correct-horse-battery']).status == 201
        def viewer = Http.loggedIn(server.url(), 'vera', 'correct-horse-battery')

        when:
        def missing = http.get('/projects/nope/targets')

        then:
        missing.status == 404
        missing.json.error == 'not found'
        missing.json.message.contains('nope')
        ReplySchemas.problems('GET', '/projects/{project}/targets', 404, missing.text) == []

        and: 'a viewer reads it; without a token it is a 401'
        viewer.get('/projects/shop/targets').status == 200
        viewer.get('/projects/shop/deployments').status == 200
        http.anonymous().get('/projects/shop/targets').status == 401

        and: 'it is a read: another method is a 405 naming the ones it has'
        def post = http.post('/projects/shop/targets', [:])
        post.status == 405
        post.header('allow') == 'GET, HEAD, OPTIONS'
    }

    def cleanupSpec() {
        // the slow deployment's run, should a feature above have failed before cancelling it
        if (slowRun && http.get("/runs/$slowRun").json.status == 'running') http.delete("/runs/$slowRun")
    }
}
