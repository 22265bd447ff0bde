package io.stoker.container

import io.stoker.container.fixtures.Podman
import io.stoker.engine.exec.RunningTask
import io.stoker.engine.exec.TaskLaunch
import io.stoker.engine.exec.local.LocalExecutor
import io.stoker.engine.fixtures.EngineFixture
import io.stoker.engine.image.RegistryCredentials
import io.stoker.engine.fixtures.ClosedPort
import io.stoker.container.fixtures.Registry
import io.stoker.model.Container
import io.stoker.model.Service
import spock.lang.IgnoreIf
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.TimeUnit

@Timeout(180)
@IgnoreIf(value = { !Podman.installed() }, reason = Podman.SKIP)
class ContainerExecutorSpec extends Specification {

    @TempDir
    Path workspace
    @Shared
    Path scratch = Files.createTempDirectory('stoker-container-scratch')

    String label = 'spec-' + UUID.randomUUID()
    ContainerExecutor executor = executor(ContainerSettings.defaults().withOwner(label))

    def cleanup() {
        executor.reapLeftovers()
    }

    def cleanupSpec() {
        scratch?.toFile()?.deleteDir()
    }

    private ContainerExecutor executor(ContainerSettings settings) {
        new ContainerExecutor(new LocalExecutor(scratch), new LocalExecutor(scratch), Optional.of(Podman.engine()), settings)
    }

    private TaskLaunch launch(List<String> scripts, Map opts = [:]) {
        new TaskLaunch('run-1', (opts.task ?: 'task') as String, 1, scripts, workspace, (opts.env ?: [:]) as Map<String, String>,
                false, null, (opts.secrets ?: []) as Set<String>,
                new Container((opts.image ?: Podman.IMAGE) as String, (opts.pull ?: Container.PullPolicy.NEVER) as Container.PullPolicy,
                        (opts.services ?: []) as List<Service>), opts.login as RegistryCredentials)
    }

    private static Map finish(RunningTask t) {
        def out = new ByteArrayOutputStream()
        def err = new ByteArrayOutputStream()
        def pump = Thread.start { t.stderr().transferTo(err) }
        t.stdout().transferTo(out)
        pump.join()
        [exit: t.waitFor(), out: out.toString(StandardCharsets.UTF_8), err: err.toString(StandardCharsets.UTF_8)]
    }

    /** Starts an attempt and waits for its end: its exit code and streams, and the attempt (for its reason). */
    private Map attempt(List<String> scripts, Map opts = [:]) {
        def t = executor.start(launch(scripts, opts))
        finish(t) + [task: t]
    }

    def "a task in an image runs in a container of it, with the workspace at its own path, and leaves no container"() {
        when:
        def r = finish(executor.start(launch(['test -f /run/.containerenv && echo in-container', 'pwd', 'cd /tmp; echo x > $STOKER_WORKSPACE_FILE',
                                                'ls /bin/busybox'], [env: [STOKER_WORKSPACE_FILE: workspace.resolve('made-inside').toString()]])))

        then:
        r.exit == 0
        r.out == "in-container\n${workspace}\n/bin/busybox\n"
        r.err.contains("running in $Podman.IMAGE (podman ")
        r.err.contains("image $Podman.IMAGE has the image ID sha256:")
        Files.readString(workspace.resolve('made-inside')) == 'x\n'
        EngineFixture.await(20_000) { Podman.containers(label).isEmpty() }
    }

    def "a secret reaches the task as a variable and never sits on a command line of the host"() {
        given:
        def secret = 'S3cr3t-' + UUID.randomUUID()
        def t = executor.start(launch(['echo "$TOKEN" > seen; sleep 300'], [env: [TOKEN: secret], secrets: ['TOKEN']]))
        Thread.start { t.stderr().transferTo(OutputStream.nullOutputStream()) }
        Thread.start { t.stdout().transferTo(OutputStream.nullOutputStream()) }

        expect:
        EngineFixture.await(60_000) { Files.exists(workspace.resolve('seen')) && Files.readString(workspace.resolve('seen')) }
        Files.readString(workspace.resolve('seen')) == secret + '\n'
        !commandLines().any { it.contains(secret) }

        cleanup:
        t?.kill()
    }

    def "a service is reachable by its name once its ready check passes, and goes when the task ends"() {
        given:
        def web = new Service('web', Podman.IMAGE, [GREETING: 'hello'],
                ['sh', '-c', 'sleep 1; mkdir -p /www && echo "$GREETING" > /www/index.html && exec httpd -f -p 8080 -h /www'],
                'wget -qO- http://127.0.0.1:8080/')

        when:
        def r = finish(executor.start(launch(['wget -qO- http://web:8080/'], [services: [web]])))

        then:
        r.exit == 0
        r.out == 'hello\n'
        r.err =~ /service web is ready after \d+ ms/
        EngineFixture.await(20_000) { Podman.containers(label).isEmpty() }
    }

    def "a service that never gets ready fails the task with its check's answer, and nothing is left"() {
        given:
        def quick = executor(ContainerSettings.defaults().withOwner(label).withReadyTimeout(Duration.ofSeconds(2)))
        def db = new Service('db', Podman.IMAGE, [:], ['sleep', '300'], check)

        when:
        def t = quick.start(launch(['echo never'], [services: [db]]))
        def r = finish(t)

        then:
        r.exit == ContainerAttempt.SETUP_FAILED
        r.out == ''
        t.failureReason() == "service 'db' was not ready after 2 s (its check '$check' failed; $answer)".toString()
        EngineFixture.await(20_000) { Podman.containers(label).isEmpty() }

        where:
        check                    | answer
        'echo not yet; exit 1'   | 'it said: not yet'
        'false'                  | 'it printed nothing and exited 1'
    }

    def "a task stopped while its service is not ready says which service it waited for and what its check said"() {
        given: 'a service whose check never passes, in the default two-minute wait'
        def db = new Service('db', Podman.IMAGE, [:], ['sleep', '300'], 'echo not yet; exit 1')
        def t = executor.start(launch(['echo never'], [services: [db]]))
        def err = new ByteArrayOutputStream()
        def pump = Thread.start { t.stderr().transferTo(err) }
        Thread.start { t.stdout().transferTo(OutputStream.nullOutputStream()) }

        expect: 'the wait is in the log while it lasts'
        EngineFixture.await(60_000) {
            err.toString(StandardCharsets.UTF_8).contains("waiting for service db to be ready (its check 'echo not yet; exit 1' failed; it said: not yet)")
        }

        when: 'a timeout or a cancel stops the attempt'
        t.kill()
        t.onExit().get(EngineFixture.ms(30_000), TimeUnit.MILLISECONDS)
        pump.join(EngineFixture.ms(30_000))

        then:
        err.toString(StandardCharsets.UTF_8).contains("stopped while service 'db' was not ready (its check 'echo not yet; exit 1' failed; it said: not yet)")
        EngineFixture.await(20_000) { Podman.containers(label).isEmpty() }
    }

    def "a service whose image is missing fails the task naming the service"() {
        given:
        def db = new Service('db', 'localhost/stoker-test/absent-service:1', [:], ['sleep', '300'], null)

        when:
        def t = executor.start(launch(['echo never'], [image: Podman.IMAGE, services: [db]]))
        def r = finish(t)

        then:
        r.exit == ContainerAttempt.SETUP_FAILED
        t.failureReason() == "service 'db': image 'localhost/stoker-test/absent-service:1' is not on this host and the pull policy is 'never'"
        EngineFixture.await(20_000) { Podman.containers(label).isEmpty() }
    }

    def "kill removes the task's container and its services at once"() {
        given:
        def svc = new Service('idle', Podman.IMAGE, [:], ['sleep', '300'], null)
        def t = executor.start(launch(['touch started; sleep 300'], [services: [svc]]))
        Thread.start { t.stderr().transferTo(OutputStream.nullOutputStream()) }
        Thread.start { t.stdout().transferTo(OutputStream.nullOutputStream()) }
        EngineFixture.await(60_000) { Files.exists(workspace.resolve('started')) }

        when:
        t.kill()

        then:
        t.onExit().get(EngineFixture.ms(30_000), TimeUnit.MILLISECONDS) != 0
        EngineFixture.await(20_000) { Podman.containers(label).isEmpty() }
    }

    def "a killed task's log holds no engine complaint about the container the kill removed"() {
        given:
        def t = executor.start(launch(['touch started; sleep 300']))
        def err = new ByteArrayOutputStream()
        def pump = Thread.start { t.stderr().transferTo(err) }
        Thread.start { t.stdout().transferTo(OutputStream.nullOutputStream()) }
        EngineFixture.await(60_000) { Files.exists(workspace.resolve('started')) }

        when:
        t.kill()
        t.onExit().get(EngineFixture.ms(30_000), TimeUnit.MILLISECONDS)
        pump.join(EngineFixture.ms(30_000))

        then:
        !err.toString(StandardCharsets.UTF_8).contains('Error:')
    }

    def "kill during an image pull ends the attempt at once, not when the pull does"() {
        given: 'a registry on 127.0.0.1 that takes the connection and never answers: the pull hangs'
        def registry = new ServerSocket(0, 50, InetAddress.getByName('127.0.0.1'))
        def held = Collections.synchronizedList([])
        Thread.start { while (!registry.closed) { try { held << registry.accept() } catch (IOException closed) { } } }
        def t = executor.start(launch(['echo never'], [image: "127.0.0.1:${registry.localPort}/stoker-test/hang:1",
                                                       pull: Container.PullPolicy.ALWAYS]))
        def err = new ByteArrayOutputStream()
        Thread.start { t.stderr().transferTo(err) }
        Thread.start { t.stdout().transferTo(OutputStream.nullOutputStream()) }
        EngineFixture.await(60_000) { !held.isEmpty() }

        when:
        t.kill()

        then: "the executor's own pull limit is ten minutes; the attempt ends well before it"
        t.onExit().get(EngineFixture.ms(15_000), TimeUnit.MILLISECONDS) == 137
        t.failureReason() == null
        EngineFixture.await(20_000) { Podman.containers(label).isEmpty() }

        cleanup:
        registry?.close()
        held.each { it.close() }
    }

    def "containers a crashed server left are removed when the next one starts, and only its own"() {
        given: 'a task left running, as a server killed with -9 would'
        def t = executor.start(launch(['touch started; sleep 300']))
        Thread.start { t.stderr().transferTo(OutputStream.nullOutputStream()) }
        Thread.start { t.stdout().transferTo(OutputStream.nullOutputStream()) }
        EngineFixture.await(60_000) { Files.exists(workspace.resolve('started')) }
        def other = executor(ContainerSettings.defaults().withOwner('other-' + UUID.randomUUID()))

        when:
        int otherReaped = other.reapLeftovers()
        int reaped = executor(ContainerSettings.defaults().withOwner(label)).reapLeftovers()

        then:
        otherReaped == 0
        reaped == 1
        Podman.containers(label).isEmpty()
        t.onExit().get(EngineFixture.ms(30_000), TimeUnit.MILLISECONDS) != 0
    }

    def "an image missing with pull 'never' fails the task in one sentence"() {
        when:
        def t = executor.start(launch(['true'], [image: 'localhost/stoker-test/absent:1']))
        def r = finish(t)

        then:
        r.exit == ContainerAttempt.SETUP_FAILED
        t.failureReason() == "image 'localhost/stoker-test/absent:1' is not on this host and the pull policy is 'never'"
    }

    def "a registry that cannot be reached fails the pull in one sentence naming the image and the registry"() {
        given: 'a port on 127.0.0.1 that refuses connections (held, so no other server takes it)'
        def refused = new ClosedPort()
        int port = refused.port
        def image = "127.0.0.1:$port/stoker-test/absent:1".toString()

        when:
        def r = attempt(['true'], [image: image, pull: Container.PullPolicy.ALWAYS])

        then:
        r.exit == ContainerAttempt.SETUP_FAILED
        r.task.failureReason() == "cannot pull image '$image': the registry 127.0.0.1:$port cannot be reached (connection refused)".toString()

        cleanup:
        refused?.close()
    }

    @IgnoreIf(value = { !Registry.installed() }, reason = Registry.SKIP)
    def "an image its registry does not have fails the pull saying so, not with the engine's error chain"() {
        given:
        def registry = Registry.start()
        def image = "${registry.host()}/stoker-test/absent:7".toString()

        when:
        def r = attempt(['true'], [image: image, pull: Container.PullPolicy.ALWAYS,
                                   login: RegistryCredentials.parse(Registry.credentials())])

        then:
        r.exit == ContainerAttempt.SETUP_FAILED
        r.task.failureReason() == "cannot pull image '$image': the registry ${registry.host()} has no image stoker-test/absent:7".toString()

        cleanup:
        registry?.close()
    }

    def "an image without sleep fails the task saying what the image lacks, not with the runtime's error"() {
        given:
        def image = Podman.imageWith('localhost/stoker-test/no-sleep:1', ['sh'])

        expect:
        with(attempt(['echo never'], [image: image])) {
            exit == ContainerAttempt.SETUP_FAILED
            task.failureReason() == "cannot start the task's container from '$image': the image has no 'sleep', which keeps the" +
                    " container up while the steps run: use an image with a shell and sleep (busybox, alpine, debian…)"
        }
        EngineFixture.await(20_000) { Podman.containers(label).isEmpty() }
    }

    def "an image without a shell fails a plain step saying so, and a lone step with its own interpreter still runs in it"() {
        given:
        def image = Podman.imageWith('localhost/stoker-test/no-shell:1', ['sleep'])

        when:
        def plain = attempt(['echo never'], [image: image])

        then:
        plain.exit == 127
        plain.task.failureReason() == "image '$image' has no /bin/sh, which runs the task's steps: use an image with a shell," +
                " or write the task as one step starting with #! and its interpreter"

        when: 'a step that is not found in an image with a shell is the step\'s own failure'
        def missing = attempt(['no-such-command'])

        then:
        missing.exit == 127
        missing.task.failureReason() == null

        when: 'the same image runs a task of one step with its own interpreter'
        def shebang = attempt(['#!/bin/busybox echo\n'], [image: image])

        then:
        shebang.exit == 0
        EngineFixture.await(20_000) { Podman.containers(label).isEmpty() }
    }

    def "on a host without an engine a task with an image fails naming what to install, and host tasks still run"() {
        given:
        def none = ContainerEngine.find(Path.of('/nonexistent/podman'))
        def bare = new ContainerExecutor(new LocalExecutor(scratch), new LocalExecutor(scratch), none, ContainerSettings.defaults())

        when:
        bare.start(launch(['true']))

        then:
        none.isEmpty()
        def e = thrown(IOException)
        e.message == 'this task runs in an image but no container engine was found on the server: install Podman (Debian/Ubuntu: apt-get install podman) or Docker'

        and:
        finish(bare.start(new TaskLaunch('run-1', 'host', 1, ['echo on-host'], workspace, [:], false))).out == 'on-host\n'
    }

    /** Every process command line on this host. */
    private static List<String> commandLines() {
        Files.list(Path.of('/proc')).withCloseable { s ->
            s.filter { it.fileName.toString().isNumber() }.collect {
                try {
                    new String(Files.readAllBytes(it.resolve('cmdline')), StandardCharsets.UTF_8).replace('\0' as char, ' ' as char)
                } catch (IOException gone) {
                    ''
                }
            }.toList()
        }
    }
}
