package io.stoker.server.sandbox

import io.stoker.dsl.groovy.GroovyFrontend
import io.stoker.server.Http
import io.stoker.server.MigratedDatabase
import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.StokerServer
import spock.lang.AutoCleanup
import spock.lang.Shared
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.Callable
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

/**
 * The hostile Jobfiles of the dsl corpus, posted as freestyle projects to a real server: each is refused with a
 * 4xx and a JSON diagnostic at line:col, writes nothing, starts no process, connects nowhere, and the server stays
 * healthy. The dsl's {@code SandboxSpec} holds every file of the corpus to its announced diagnostic in the compiler
 * the server uses; here the first file of each category (the name before its first '-'), and the endless loop the
 * budget is checked with, cross HTTP: the whole corpus again (its 21 endless loops and 19 allocation bombs at the
 * server's larger memory budget) was over a minute of the suite's CPU for the same mapping of a diagnostic to a 4xx. The shared server compiles in process (the specs' default); a subset goes through a server with the
 * isolated worker JVMs as well. The classes a Jobfile is compiled into cannot see the server's libraries. Both servers
 * hold a Jobfile's evaluation to 1 s of CPU ({@code STOKER_JOBFILE_CPU}) rather than the default 5 s: the corpus's
 * endless loops are refused sooner, and the setting is seen to reach both compilers.
 */
class HostileJobfileSpec extends ServerSpecification {
    static final Duration BUDGET = Duration.ofSeconds(1)

    static final Path CORPUS = Path.of('../dsl/src/test/resources/hostile')

    @Shared
    @AutoCleanup
    ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())

    @TempDir
    Path dir

    @Override
    StokerServer startServer(ServerConfig config) {
        StokerServer.start(MigratedDatabase.into(config.withJobfileCpu(BUDGET)))
    }

    def "a hostile Jobfile of each category is refused with a positioned JSON diagnostic, and the server stays healthy"() {
        given:
        List<Path> corpus = Files.list(CORPUS).withCloseable { it.filter { it.toString().endsWith('.groovy') }.sorted().toList() }
        List<Path> files = corpus.groupBy { (it.fileName.toString() - '.groovy').split('-')[0] }.values()*.first() +
                corpus.findAll { it.fileName.toString() == 'loop-while.groovy' }
        files = files.unique()
        Path canaries = Files.createDirectories(dir.resolve('canaries'))
        long childrenBefore = ProcessHandle.current().children().count()
        def pool = Executors.newFixedThreadPool(4)

        when: 'posted four at a time, as several users might'
        // each compile is held to CPU budgets (10 s compiling, 1 s running here), whose wall time on a loaded machine can
        // pass the client's usual 30 s; the server's own wall-clock nets (2 and 1 minutes) bound every answer
        def answers = files.withIndex().collect { Path file, int i ->
            String text = Files.readString(file).replace('CANARY', canaries.resolve(i as String).toString())
                    .replace('PORT', listener.localPort as String)
            pool.submit({ [file.fileName.toString(), http.post('/projects', [name: "hostile-$i".toString(), jobfile: text],
                    Duration.ofMinutes(4))] } as Callable)
        }*.get(10, TimeUnit.MINUTES)

        then: 'each is a 4xx with the JSON error shape and a line:col in its details'
        corpus.size() >= 200
        files.size() >= 20
        answers.each { String name, Http.Reply reply ->
            assert reply.status in 400..499, "$name: ${reply.status} ${reply.text}"
            assert reply.json.error instanceof String && reply.json.message instanceof String, name
            assert reply.json.details.any { it ==~ /(?s)Jobfile:\d+:\d+: .+/ }, "$name: ${reply.json.details}"
            assert !reply.text.contains('\tat '), name
        }

        and: "an endless loop is stopped at the server's budget"
        answers.find { it[0] == 'loop-while.groovy' }[1].json.details.any { it.contains('took longer than 1.0 s of CPU time') }

        and: 'nothing was written, started or connected, and nothing was stored'
        Files.list(canaries).count() == 0
        ProcessHandle.current().children().count() == childrenBefore
        !connectionArrived()
        http.get('/projects').json.every { !(it.name as String).startsWith('hostile-') }

        and: 'the server still answers'
        http.get('/healthz').json.status == 'ok'
        freestyle('after-the-storm', "job('ok') { task('t') { sh 'true' } }") == 'after-the-storm'

        cleanup:
        pool?.shutdownNow()
    }

    def "a subset is refused the same way by a server that compiles in isolated worker JVMs"() {
        given:
        def isolated = StokerServer.start(MigratedDatabase.into(ServerConfig.defaults().withPort(0).withDataDir(dir.resolve('data'))
                .withSlots(1).withIsolatedCompiler(true).withAdminPassword(Http.ADMIN_PASSWORD).withJobfileCpu(BUDGET)))
        def client = Http.loggedIn(isolated.url())
        Path canary = dir.resolve('canary')

        when:
        def answers = names.collect { name ->
            String text = Files.readString(CORPUS.resolve("${name}.groovy")).replace('CANARY', canary.toString())
                    .replace('PORT', listener.localPort as String)
            [name, client.post('/projects', [name: name.replace('.', '-'), jobfile: text])]
        }

        then:
        answers.each { String name, Http.Reply reply ->
            assert reply.status == 422, "$name: ${reply.status} ${reply.text}"
            assert reply.json.details.any { it.startsWith('Jobfile:') }, "$name: ${reply.json.details}"
        }
        !Files.exists(canary)
        !connectionArrived()
        client.get('/healthz').json.status == 'ok'
        // the worker JVMs got the server's budget too: the loop is stopped by it, or, on a machine so busy that the
        // worker got less than that second of CPU in the 20 s of wall-clock time, by the wall clock, whose refusal
        // names the budget the worker had
        !('loop-while' in names) || answers.find { it[0] == 'loop-while' }[1].json.details.any {
            it.contains('took longer than 1.0 s of CPU time') || it.contains('its CPU budget of 1.0 s had not run out') }

        cleanup:
        isolated?.close()

        where:
        names = ['ast-asttest', 'grab', 'class-static-initializer', 'process-execute', 'files-new-file',
                 'network-socket', 'loop-while', 'alloc-string-doubling', 'recursion-closure', 'meta-metaclass']
    }

    def "a compiled Jobfile's classes cannot load #name, which the server itself loads"() {
        given: 'the server has the class'
        StokerServer.classLoader.loadClass(name)

        when:
        Class<?> script = new GroovyFrontend().compileWithoutRunning("job('a') { task('t') { sh 'true' } }")
        script.classLoader.loadClass(name)

        then:
        thrown(ClassNotFoundException)

        where:
        name << ['io.stoker.server.StokerServer', 'io.stoker.engine.run.RunEngine', 'io.vertx.core.Vertx',
                 'org.eclipse.jgit.api.Git', 'org.h2.Driver', 'com.fasterxml.jackson.databind.ObjectMapper',
                 'org.apache.sshd.client.SshClient', 'ch.qos.logback.classic.Logger', 'org.flywaydb.core.Flyway',
                 'io.stoker.agent.ssh.SshAgent']
    }

    private boolean connectionArrived() {
        listener.soTimeout = 1
        try {
            listener.accept().close()
            return true
        } catch (SocketTimeoutException ignored) {
            return false
        }
    }
}
