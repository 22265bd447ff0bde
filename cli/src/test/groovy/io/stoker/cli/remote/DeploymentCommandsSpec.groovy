package io.stoker.cli.remote

import com.fasterxml.jackson.databind.ObjectMapper
import io.stoker.cli.CliRun
import io.stoker.engine.fixtures.FreePort
import org.eclipse.jgit.api.Git
import spock.lang.Shared
import spock.lang.Stepwise
import spock.lang.TempDir

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import java.nio.file.Path

/**
 * The deployment sample end to end through a real server: samples/11-deploy builds versions 1.0, 1.1 and a broken
 * 2.0 (its /health answers 500); they are deployed to the local target over the REST API and the CLI, a failing
 * healthcheck brings the last good version back by itself, {@code stoker rollback} works by hand, the history tells
 * all of it, and closing the server stops the deployed service.
 */
@Stepwise
class DeploymentCommandsSpec extends RemoteCliSpecification {
    static final double FACTOR = Double.parseDouble(System.getProperty('stoker.test.timeoutFactor', '1'))
    static final ObjectMapper JSON = new ObjectMapper()
    /**
     * The healthcheck window, in seconds: the broken version takes all of it to be judged bad, and a good one must
     * start (a Python process) and answer within it, which a loaded machine may not do in 8 s.
     */
    static final long HEALTH_WINDOW_S = (long) Math.ceil(15 * FACTOR)
    /** How long the deployed app may take to answer; a slow answer on a loaded machine is not "nothing listens". */
    static final int ANSWER_MS = (int) (10_000 * FACTOR)

    @Shared @TempDir Path work
    @Shared int appPort

    def setupSpec() {
        appPort = FreePort.pick()
    }

    def cleanupSpec() {
        // whatever happened above: no deployed process outlives the spec (stopped by its PID)
        servicePid().flatMap { ProcessHandle.of(it) }.ifPresent { p ->
            p.descendants().forEach { it.destroyForcibly() }
            p.destroyForcibly()
        }
    }

    Optional<Long> servicePid() {
        Path pid = dataDir.resolve('deployments/shop/local/service.pid')
        Files.exists(pid) ? Optional.of(Long.parseLong(Files.readAllLines(pid).first().trim())) : Optional.<Long> empty()
    }

    Map api(String method, String path, Map body = null) {
        def request = HttpRequest.newBuilder(URI.create(server.url() + '/api/v1' + path))
                .header('Authorization', 'Bearer ' + token).header('Content-Type', 'application/json')
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build()
        def response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString())
        [status: response.statusCode(), body: response.body() ? JSON.readValue(response.body(), Object) : null]
    }

    /** What the deployed app answers on /, or null when nothing listens. */
    String app() {
        try {
            new URL("http://127.0.0.1:$appPort/").getText(connectTimeout: ANSWER_MS, readTimeout: ANSWER_MS).trim()
        } catch (IOException ignored) {
            null
        }
    }

    def history() {
        api('GET', '/projects/shop/deployments?target=local').body.deployments
    }

    def waitFor(String what, long seconds = 60, Closure<Boolean> condition) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9 * FACTOR)
        while (!condition()) {
            assert System.nanoTime() < deadline, "timed out waiting for " + what
            Thread.sleep(200)
        }
        true
    }

    def "the sample's release job publishes three versions, the last one broken"() {
        given:
        Path repo = work.resolve('repo')
        Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch('main').call()
        Path sample = Path.of('..', 'samples', '11-deploy')
        Files.writeString(repo.resolve('Jobfile'), Files.readString(sample.resolve('Jobfile'))
                .replace('8081', String.valueOf(appPort)).replace('within: 20', "within: $HEALTH_WINDOW_S"))
        Files.copy(sample.resolve('app.py'), repo.resolve('app.py'))
        git.add().addFilepattern('.').call()
        git.commit().setMessage('sample').setAuthor('t', 't@example.com').setCommitter('t', 't@example.com').call()

        expect:
        stoker('project', 'add', 'shop', repo.toUri()).exit == 0
        stoker('trigger', 'shop/release', '-p', 'VERSION=1.0', '--follow').exit == 0
        stoker('trigger', 'shop/release', '-p', 'VERSION=1.1', '--follow').exit == 0
        stoker('trigger', 'shop/release', '-p', 'VERSION=2.0', '-p', 'HEALTHY=false', '--follow').exit == 0
        stoker('versions', 'shop', '--json').json().versions*.version as Set == ['1.0', '1.1', '2.0'] as Set
    }

    def "version 1.0 deployed over the REST API passes its healthcheck and is marked good"() {
        when:
        def accepted = api('POST', '/projects/shop/deployments', [version: '1.0', target: 'local'])

        then:
        accepted.status == 202
        accepted.body.state == 'running'
        accepted.body.reason == 'deploy'
        accepted.body.by == 'admin'
        waitFor('1.0 to be judged') { history()[0].state != 'running' }
        history()[0].state == 'good'
        app() == 'app version 1.0'
        api('GET', '/projects/shop/versions/1.0').body.status == 'good'
        api('GET', "/runs/${accepted.body.run}").body.trigger == 'deploy'

        and: 'its run is named by key, and by number of its job as people name runs, when accepted and when read'
        accepted.body.job == 'deploy-local'
        accepted.body.runNumber == api('GET', "/runs/${accepted.body.run}").body.number
        api('GET', "/projects/shop/deployments/${accepted.body.id}").body.runNumber == accepted.body.runNumber
        api('GET', "/projects/shop/jobs/deploy-local/runs/${accepted.body.runNumber}").body.key == accepted.body.run
    }

    def "version 2.0 fails its healthcheck: it is marked bad and 1.0 comes back by itself"() {
        when:
        def deploy = stoker('deploy', 'shop', '2.0', '--to', 'local')

        then:
        deploy.exit == 1
        deploy.out.readLines()[0] == "started: deploy of version 2.0 to local (run #${history()[1].runNumber}, shop/deploy-local)"
        deploy.out.contains('bad: version 2.0 failed on local')
        deploy.out.contains("(its run #${history()[1].runNumber} failed; 'stoker logs shop/deploy-local#${history()[1].runNumber}' says why)")
        !deploy.out.contains(history()[1].run)
        deploy.out.contains("rolling back: auto-rollback of version 1.0 to local (run #${history()[0].runNumber}, shop/deploy-local)")
        deploy.out.readLines().last() == 'good: version 1.0 works on local'
        app() == 'app version 1.0'
        api('GET', '/projects/shop/versions/2.0').body.status == 'bad'
        api('GET', '/projects/shop/versions/2.0').body.failedOn == ['local']
        stoker('logs', history()[1].run).out.contains("healthcheck did not pass within $HEALTH_WINDOW_S s")

        and: 'the log says what the healthcheck answered last (curl -f exits 22 on an HTTP error)'
        stoker('logs', history()[1].run).out.contains("the healthcheck's last try exited 22 and said:")
        stoker('logs', history()[1].run).out.contains('500')
    }

    def "the versions table names the targets a bad version failed on"() {
        when:
        def table = stoker('versions', 'shop').out.readLines()

        then:
        table[0] ==~ /VERSION\s+STATUS\s+FAILED ON\s+RUN\s+CREATED\s+FILES\s+SIZE/
        table.find { it.startsWith('2.0 ') } ==~ /2\.0\s+bad\s+local\s+.*/
        table.find { it.startsWith('1.0 ') } ==~ /1\.0\s+good\s+-\s+.*/
    }

    def "stoker rollback deploys the previous good version by hand"() {
        given:
        assert stoker('deploy', 'shop', '1.1', '--to', 'local').exit == 0
        assert app() == 'app version 1.1'

        when: 'with --json, as a script would: it waits for the verdict all the same'
        def rollback = stoker('rollback', 'shop', '--json')

        then: 'the JSON is the judged deployment, and the exit code tells it too'
        rollback.exit == 0
        with(rollback.json()) {
            reason == 'rollback'
            version == '1.0'
            state == 'good'
            detail == 'version 1.0 works on local'
        }
        app() == 'app version 1.0'
    }

    def "the history tells who deployed which version when, how it ended and which run did it, by number"() {
        when:
        def table = stoker('deployments', 'shop', '--to', 'local')
        def json = stoker('deployments', 'shop', '--json').json().deployments

        then:
        json.collect { [it.version, it.reason, it.state, it.by] } == [
                ['1.0', 'rollback', 'good', 'admin'],
                ['1.1', 'deploy', 'good', 'admin'],
                ['1.0', 'auto-rollback', 'good', 'stoker'],
                ['2.0', 'deploy', 'bad', 'admin'],
                ['1.0', 'deploy', 'good', 'admin']]
        json.every { it.run && it.startedAt && it.endedAt && it.job == 'deploy-local' }
        json*.runNumber == (5..1).toList()
        table.out.readLines()[0] ==~ /ID\s+TARGET\s+VERSION\s+STATE\s+WHY\s+BY\s+STARTED\s+RUN/

        and: 'the table names the run by its number, as runs are named everywhere (--json keeps the key)'
        table.out.readLines()[1] ==~ /\d+\s+local\s+1\.0\s+good\s+rollback\s+admin\s+\S+\s+#5/
    }

    def "bad requests are refused with a reason"() {
        expect:
        api('POST', '/projects/shop/deployments', [version: '9.9', target: 'local']).with {
            status == 404 && body.toString().contains("no version '9.9'")
        }
        api('POST', '/projects/shop/deployments', [version: '1.0', target: 'prod']).with {
            status == 422 && body.toString().contains("no deploy target 'prod'")
        }
        api('POST', '/projects/shop/deployments', [target: 'local']).status == 400
        api('POST', '/projects/shop/deployments', [version: '1.0', target: '']).status == 400
        stoker('deploy', 'nope', '1.0', '--to', 'local').exit == 2
    }

    def "deploy without --to deploys to the Jobfile's only target, as rollback does"() {
        given:
        int before = history().size()

        when:
        def deploy = stoker('deploy', 'shop', '1.1')

        then:
        deploy.exit == 0
        deploy.out.readLines()[0].startsWith('started: deploy of version 1.1 to local (run ')
        history().size() == before + 1
        app() == 'app version 1.1'

        when: 'the version the later features expect is deployed back, over the API without a target'
        def back = api('POST', '/projects/shop/deployments', [version: '1.0'])

        then:
        back.status == 202
        back.body.target == 'local'
        waitFor('1.0 to be judged') { history()[0].state != 'running' }
        history()[0].state == 'good'
        app() == 'app version 1.0'
    }

    def "a deployment run is not rerun: without its version's files it would stop the service and start nothing"() {
        given:
        int before = history().size()
        String first = history().last().run

        when:
        def cli = stoker('rerun', 'shop/deploy-local#1')
        def rest = api('POST', "/runs/$first/rerun")

        then: 'refused, saying how to deploy that version again'
        cli.exit == 2
        cli.err.readLines()[0] == "stoker: run $first deployed version 1.0 of shop to local; a deployment is not rerun: "
                .toString() + 'deploy the version again (deploy: stoker deploy shop 1.0 --to local; api: POST ' +
                '/api/v1/projects/shop/deployments)'
        rest.status == 409

        and: 'the target runs on as the history says'
        history().size() == before
        app() == 'app version 1.0'
    }

    def "a deploy target's job is not triggered: the refusal gives the stoker deploy command that deploys there"() {
        given:
        int before = history().size()

        when:
        def cli = stoker('trigger', 'shop/deploy-local')
        def rest = api('POST', '/projects/shop/jobs/deploy-local/runs')

        then:
        cli.exit == 2
        cli.err.readLines() == ["stoker: deploy-local is the job of shop's deploy target 'local': a deployment deploys "
                + 'a version, it is not triggered (deploy: stoker deploy shop VERSION --to local; versions: stoker '
                + 'versions shop; api: POST /api/v1/projects/shop/deployments)']
        rest.status == 409
        rest.body.error == 'deployment-job'

        and: 'nothing deployed; another unknown job is still a 404'
        history().size() == before
        api('POST', '/projects/shop/jobs/deploy-nowhere/runs').status == 404
    }

    def "the CLI refuses a wait or a page it cannot give, naming its option, before asking the server: #args"() {
        given:
        int before = history().size()

        when:
        def r = stoker(*args)

        then: 'nothing deployed, and the option named as typed'
        r.exit == 2
        r.err.readLines()[0] == "stoker: $reason".toString()
        history().size() == before

        where:
        args                                                   | reason
        ['deploy', 'shop', '1.1', '--to', 'local', '--timeout', '0'] | '--timeout must be at least 1 second, not 0'
        ['rollback', 'shop', '--timeout', '-1', '--no-wait']   | '--timeout must be at least 1 second, not -1'
        ['versions', 'shop', '--limit', '-3']                  | '--limit must be from 1 to 500, not -3'
        ['deployments', 'shop', '--limit', '501']              | '--limit must be from 1 to 500, not 501'
    }

    def "a rollback or a deploy without --to on a project with several targets says to name one with --to, listing them"() {
        given:
        Path jobfile = work.resolve('several/Jobfile')
        Files.createDirectories(jobfile.parent)
        Files.writeString(jobfile, """
            job('release') { task('b') { sh 'true' } }
            deploy('blue') { run 'true' }
            deploy('green') { run 'true' }
            """.stripIndent())
        assert stoker('project', 'add', 'several', '--jobfile', jobfile).exit == 0

        when:
        def r = stoker('rollback', 'several')

        then:
        r.exit == 2
        r.err.readLines()[0] == "stoker: project 'several' has 2 deploy targets: name one with --to (blue, green)"
        with(stoker('deploy', 'several', '1')) {
            exit == 2
            err.readLines()[0] == "stoker: project 'several' has 2 deploy targets: name one with --to (blue, green)"
        }

        cleanup:
        stoker('project', 'remove', 'several')
    }

    def "a history filtered by a target the Jobfile does not declare is refused as a deploy to it is, naming the targets"() {
        when:
        def history = stoker('deployments', 'shop', '--to', 'prod')
        def deploy = stoker('deploy', 'shop', '1.0', '--to', 'prod')

        then: 'not "no deployments": the same one-line refusal, exit 2'
        history.exit == 2
        history.out.isEmpty()
        history.err.readLines() == ["stoker: project 'shop' has no deploy target 'prod' (target: local)"]
        deploy.exit == 2
        deploy.err.readLines() == history.err.readLines()
    }

    def "a declared target without deployments lists as empty; another is refused with the targets, or saying there are none"() {
        given:
        Path several = work.resolve('targets/Jobfile')
        Path none = work.resolve('no-targets/Jobfile')
        [several, none].each { Files.createDirectories(it.parent) }
        Files.writeString(several, """
            job('release') { task('b') { sh 'true' } }
            deploy('blue') { run 'true' }
            deploy('green') { run 'true' }
            """.stripIndent())
        Files.writeString(none, "job('release') { task('b') { sh 'true' } }\n")
        assert stoker('project', 'add', 'targets', '--jobfile', several).exit == 0
        assert stoker('project', 'add', 'no-targets', '--jobfile', none).exit == 0

        expect:
        with(stoker('deployments', 'targets', '--to', 'blue')) {
            exit == 0
            out.trim() == "project targets has no deployments to target 'blue'; see stoker deploy --help"
        }
        with(stoker('deployments', 'targets', '--to', 'red')) {
            exit == 2
            err.readLines() == ["stoker: project 'targets' has no deploy target 'red' (targets: blue, green)"]
        }
        with(stoker('deployments', 'no-targets', '--to', 'prod')) {
            exit == 2
            err.readLines() == ["stoker: project 'no-targets' has no deploy target 'prod': its Jobfile declares none "
                                        + "(add deploy('prod') { run '…' })"]
        }
        api('GET', '/projects/targets/deployments?target=red').status == 422

        cleanup:
        stoker('project', 'remove', 'targets')
        stoker('project', 'remove', 'no-targets')
    }

    def "deleting a project stops the service deployed for it on this machine and removes its releases"() {
        given: 'a second project with a version running on its local target'
        Path jobfile = work.resolve('gone/Jobfile')
        Files.createDirectories(jobfile.parent)
        Files.writeString(jobfile, """
            job('release') { publish version: '1'; task('b') { sh 'echo x > f.txt'; artifacts 'f.txt' } }
            deploy('local') { run 'sleep 300'; healthcheck 'true', within: 30 }
            """.stripIndent())
        assert stoker('project', 'add', 'gone', '--jobfile', jobfile).exit == 0
        assert stoker('trigger', 'gone/release', '--follow').exit == 0
        assert stoker('deploy', 'gone', '1', '--to', 'local').exit == 0
        Path target = dataDir.resolve('deployments/gone/local')
        ProcessHandle service = ProcessHandle.of(Files.readAllLines(target.resolve('service.pid')).first() as long)
                .orElseThrow()

        when:
        def removed = stoker('project', 'remove', 'gone')

        then: 'nothing is left that no deployment or rollback of it could reach'
        removed.exit == 0
        waitFor('the service to stop') { !service.alive }
        !Files.exists(dataDir.resolve('deployments/gone'))

        and: 'the other project\'s service runs on'
        app() == 'app version 1.0'

        cleanup: 'by its PID, with what it started, whatever happened above'
        service?.descendants()?.forEach { it.destroyForcibly() }
        service?.destroyForcibly()
    }

    def "stoker deploy follows its deployment to the verdict however many deployments of the target are asked for after it"() {
        given: 'the broken 2.0 holds the target for its whole healthcheck window, so what comes after it queues'
        int before = history().size()
        assert api('POST', '/projects/shop/deployments', [version: '2.0', target: 'local']).status == 202

        when: 'a script deploys 1.1 and waits, while 20 more deployments of the target are asked for behind it'
        def waiting = java.util.concurrent.CompletableFuture.supplyAsync { stoker('deploy', 'shop', '1.1', '--to', 'local', '--timeout', (long) (120 * FACTOR)) }
        waitFor('the deployment of 1.1 to be queued') { history().size() == before + 2 }
        20.times { assert api('POST', '/projects/shop/deployments', [version: '1.0', target: 'local']).status == 202 }
        CliRun deploy = waiting.join()

        then: 'it reads the verdict of its own deployment, not the newest of the history'
        deploy.exit == 0
        deploy.out.readLines().last() == 'good: version 1.1 works on local'

        and: 'the ones behind it run their course (no automatic rollback: they were asked for after the failure)'
        waitFor('the queue to drain', 180) { def h = history(); h.size() == before + 22 && h.every { it.state != 'running' } }
        app() == 'app version 1.0'
    }

    def "one deployment is read by its id; another project's id or a malformed one is refused"() {
        given:
        def newest = history()[0]

        expect:
        api('GET', "/projects/shop/deployments/${newest.id}").with { status == 200 && body == newest }
        api('GET', '/projects/shop/deployments/999999').with {
            status == 404 && body.message == 'project shop has no deployment 999999'
        }
        api('GET', "/projects/nope/deployments/${newest.id}").status == 404
        api('GET', '/projects/shop/deployments/abc').with {
            status == 400 && body.details == ['field: id']
        }
    }

    def "a wait that ends before the verdict exits 4, not as a bad version, and the deployment goes on"() {
        given:
        int before = history().size()

        when: '2.0 takes its healthcheck window to be judged'
        def deploy = stoker('deploy', 'shop', '2.0', '--to', 'local', '--timeout', '1')

        then:
        deploy.exit == 4
        deploy.out.contains('still running after 1.0s; see stoker deployments shop')

        and: 'it is judged meanwhile, and the automatic rollback after it ends too'
        waitFor('the verdict and the rollback') {
            def h = history()
            h.size() == before + 2 && h.every { it.state != 'running' }
        }
    }

    def "closing the server stops the deployed service"() {
        given:
        long pid = servicePid().orElseThrow()
        assert ProcessHandle.of(pid).map { it.alive }.orElse(false)

        when:
        closeServer()

        then:
        !ProcessHandle.of(pid).map { it.alive }.orElse(false)
        app() == null
    }
}
