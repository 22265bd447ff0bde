package io.stoker.cli.remote

import spock.lang.Shared
import spock.lang.Stepwise
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

/**
 * How {@code stoker deploy} waits for a verdict, against a real server: the server's {@code /events} wakes it when a
 * deployment of the project ends (its re-reads set an hour apart here, so nothing else could), and a stream it
 * cannot have leaves it polling, with the same lines either way.
 */
@Stepwise
class DeploymentWatchSpec extends RemoteCliSpecification {
    static final double FACTOR = Double.parseDouble(System.getProperty('stoker.test.timeoutFactor', '1'))
    /** TargetsCommandSpec's project (2.0 fails on prod), whose deployments take a second: the watch sees them run. */
    static final String JOBFILE = TargetsCommandSpec.JOBFILE.replace("run 'test ", "run 'sleep 1; test ")
    static final Duration HOUR = Duration.ofHours(1)
    /** Long enough for a deployment and its rollback on a loaded machine; an unwoken watch ends with exit 4. */
    static final Duration VERDICT_WITHIN = Duration.ofSeconds((long) (120 * FACTOR))

    @Shared @TempDir Path work
    @Shared StokerClient client

    def setupSpec() {
        client = new StokerClient(URI.create(server.url()), token)
    }

    def cleanupSpec() {
        client?.close()
    }

    /** Deploys {@code version} to prod and follows it as {@code stoker deploy} does: its exit code and its lines. */
    Map deployAndWatch(String version, String events, Duration recheck, Duration poll) {
        def started = client.post('/projects/shop/deployments', [version: version, target: 'prod'])
        def text = new StringWriter()
        def out = new PrintWriter(text)
        def watch = new DeploymentWatch(client, out, new Reconnect(client.server(), Duration.ofSeconds(30),
                new PrintWriter(new StringWriter())), events, recheck, poll)
        int exit = watch.follow(started, VERDICT_WITHIN)
        out.flush()
        [exit: exit, lines: text.toString().readLines(), started: started]
    }

    def "versions 1.0 and 2.0 are published, 2.0 failing on prod"() {
        expect:
        JOBFILE.contains("run 'sleep 1; test ")
        stoker('project', 'add', 'shop', '--jobfile', Files.writeString(work.resolve('Jobfile'), JOBFILE)).exit == 0
        stoker('trigger', 'shop/release', '-p', 'V=1.0', '--follow').exit == 0
        stoker('trigger', 'shop/release', '-p', 'V=2.0', '--follow').exit == 0
    }

    def "the event stream wakes the watch at the verdict, with its re-reads an hour apart"() {
        when:
        def r = deployAndWatch('1.0', DeploymentSignals.EVENTS, HOUR, HOUR)

        then:
        r.exit == 0
        r.lines == ['good: version 1.0 works on prod']
    }

    def "a bad verdict and the rollback it starts are each seen when the stream says they ended"() {
        when:
        def r = deployAndWatch('2.0', DeploymentSignals.EVENTS, HOUR, HOUR)
        def number = client.get("/projects/shop/deployments/${r.started.id}").runNumber

        then:
        r.exit == 1
        r.lines.size() == 3
        r.lines[0] == "bad: version 2.0 failed on prod (its run #$number failed; 'stoker logs shop/deploy-prod#$number' says why)"
        r.lines[1] ==~ /rolling back: auto-rollback of version 1\.0 to prod \(run #\d+, shop\/deploy-prod\)/
        r.lines[2] == 'good: version 1.0 works on prod'
    }

    def "without the stream (refused) the watch polls, and says the same"() {
        when: 'a stream path the server does not have, and polls a fifth of a second apart'
        def r = deployAndWatch('1.0', '/no-such-events', HOUR, Duration.ofMillis(200))

        then:
        r.exit == 0
        r.lines == ['good: version 1.0 works on prod']
    }

    def "a watch with neither stream nor polls in its time says it is still running, exit 4"() {
        given: 'no stream and polls an hour apart: only the first read, before the deployment ended'
        def started = client.post('/projects/shop/deployments', [version: '1.0', target: 'prod'])
        def text = new StringWriter()
        def watch = new DeploymentWatch(client, new PrintWriter(text), new Reconnect(client.server(),
                Duration.ofSeconds(30), new PrintWriter(new StringWriter())), '/no-such-events', HOUR, HOUR)

        when:
        int exit = watch.follow(started, Duration.ofSeconds(3))

        then: 'what the first feature saw came from the stream, not from a read the watch would have made anyway'
        exit == DeploymentWatch.STILL_RUNNING
        text.toString().readLines() == ['still running after 3.0s; see stoker deployments shop']
    }
}
