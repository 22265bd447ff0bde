package io.stoker.server.run

import io.stoker.dsl.JobfileCompiler
import io.stoker.engine.artifact.FileArtifactStore
import io.stoker.engine.exec.local.LocalExecutor
import io.stoker.engine.log.FileLogStore
import io.stoker.engine.run.RunEngine
import io.stoker.engine.run.RunState
import io.stoker.engine.trigger.JobTrigger
import io.stoker.server.Http
import io.stoker.server.db.Database
import io.stoker.server.event.EventHub
import io.stoker.server.git.GitCredentialsLookup
import io.stoker.server.git.GitMirrors
import io.stoker.server.git.TestRepo
import io.stoker.server.project.GitProjects
import io.stoker.server.project.LocalRepositories
import io.stoker.server.project.MirroredGitProjects
import io.stoker.server.project.ProjectRepository
import io.stoker.server.project.ProjectService
import io.stoker.server.project.ProjectSpec
import io.stoker.server.secret.MasterKey
import io.stoker.server.secret.SecretBox
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Files
import java.nio.file.Path
import java.time.Clock
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit

/**
 * A run's preparation (secrets, its workspace's checkout, the engine's start) happens off the dispatcher's thread:
 * one whose checkout takes long (a big repository) holds its slot, and nothing else.
 */
@Timeout(120)
class RunPreparationSpec extends Specification {
    /**
     * How long an answer of the dispatcher is waited for. A checkout the spec holds never ends by itself, so any
     * finite wait tells "answered at once" from "waited for the checkout"; a loaded machine may take seconds.
     */
    static final long ANSWER_S = 30 * Http.TIMEOUT_FACTOR
    @TempDir Path dir

    /** The real checkout, held for the project named {@link #held} until the spec opens {@link #gate}. */
    static class GatedGit implements GitProjects {
        @Delegate GitProjects real
        volatile String held
        final CountDownLatch gate = new CountDownLatch(1)
        final CountDownLatch reached = new CountDownLatch(1)

        @Override
        void checkout(String project, String commit, String branch, String url, Path workspace) {
            if (project == held) {
                reached.countDown()
                assert gate.await(60, TimeUnit.SECONDS)
            }
            real.checkout(project, commit, branch, url, workspace)
        }
    }

    Database db
    RunRepository runs
    GatedGit git
    ProjectService projects
    RunEngine engine
    RunDispatcher dispatcher
    RunService service
    List<TestRepo> repos = []

    def setup() {
        db = Database.open(Files.createDirectories(dir.resolve('db')))
        runs = new RunRepository(db)
        def mirrors = new GitMirrors(dir.resolve('git'))
        def credentials = new GitCredentialsLookup(dir.resolve('git-credentials.properties'), [:])
        git = new GatedGit(real: new MirroredGitProjects(mirrors, credentials), held: 'big')
        projects = new ProjectService(new ProjectRepository(db, new SecretBox(MasterKey.load(dir, [:]))), git,
                new JobfileCompiler(), Clock.systemUTC(), new LocalRepositories(dir.resolve('git')))
        engine = new RunEngine(new LocalExecutor(Files.createDirectories(dir.resolve('scratch'))), JobTrigger.UNAVAILABLE,
                new FileLogStore(dir.resolve('runs')), new FileArtifactStore(dir.resolve('runs')), new H2RunStore(runs),
                Clock.systemUTC())
        dispatcher = new RunDispatcher(runs, engine, git, new EventHub(), dir.resolve('workspaces'), 2,
                Clock.systemUTC(), null)
        service = new RunService(runs, projects, dispatcher, Clock.systemUTC())
        ['big', 'small'].each { name ->
            def repo = TestRepo.create(dir.resolve("repos/${name}.git"))
            repos << repo
            // retryOnRestart: a restart would queue an interrupted run of these again, unless it was being cancelled
            repo.commit('main', 'first', [Jobfile: "job('build') { retryOnRestart true\n task('t') { sh 'cat Jobfile > /dev/null && echo built $name' } }"])
            projects.create(new ProjectSpec(name, repo.url(), 'main', null, null, null, null), true) // by an admin: a local repository
        }
    }

    def cleanup() {
        git?.gate?.countDown()
        dispatcher?.close()
        engine?.close()
        db?.close()
        repos.each { it.close() }
    }

    RunState status(String key) {
        runs.find(key).orElseThrow().status()
    }

    def "runs start and a cancel is answered while another run's checkout is still going"() {
        given: "a run of 'big' whose checkout has begun and does not end until the spec says"
        String big = service.trigger('big', 'build', [:], null, null, 'api', false).key()
        assert git.reached.await(30, TimeUnit.SECONDS)

        when: "a run of 'small' is triggered meanwhile (the second slot is free)"
        String small = service.trigger('small', 'build', [:], null, null, 'api', false).key()

        then: 'it runs to its end, and the big run still holds its slot, running'
        Http.eventually(30_000) { status(small) == RunState.SUCCEEDED }
        status(big) == RunState.RUNNING
        // the store shows a run's end before the dispatcher lets it go: its slot frees just after
        Http.eventually { dispatcher.goingCount().get(ANSWER_S, TimeUnit.SECONDS) == 1 }

        when: 'the big run is cancelled during its checkout, which then ends'
        def cancel = dispatcher.cancel(big).get(ANSWER_S, TimeUnit.SECONDS)
        git.gate.countDown()

        then: 'the cancel was answered at once and took effect as soon as the engine had the run'
        cancel == RunDispatcher.Cancel.CANCELLING
        Http.eventually(30_000) { status(big) == RunState.CANCELLED }
        Http.eventually { dispatcher.goingCount().get(ANSWER_S, TimeUnit.SECONDS) == 0 }
    }

    def "a cancel the server had answered but not yet carried out when it died ends the run cancelled at the next start"() {
        given: "a run of 'big' (its job says retryOnRestart) whose checkout has begun and does not end"
        String big = service.trigger('big', 'build', [:], null, null, 'api', false).key()
        assert git.reached.await(30, TimeUnit.SECONDS)

        when: 'it is cancelled, answered at once, and the server dies before the checkout ends'
        def cancel = dispatcher.cancel(big).get(ANSWER_S, TimeUnit.SECONDS)
        assert status(big) == RunState.RUNNING
        def ended = RunRecovery.recover(runs, new FileLogStore(dir.resolve('runs')), Clock.systemUTC(),
                Optional.empty(), dir.resolve('workspaces'))

        then: 'the next start ends it as asked: cancelled, not failed, not queued again'
        cancel == RunDispatcher.Cancel.CANCELLING
        ended*.key() == [big]
        with(runs.find(big).orElseThrow()) {
            status() == RunState.CANCELLED
            reason() == 'cancelled: server restarted while the cancel was under way'
            tasks()*.status() == [io.stoker.engine.run.TaskState.CANCELLED]
        }
    }
}
