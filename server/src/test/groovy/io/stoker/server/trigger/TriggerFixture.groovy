package io.stoker.server.trigger

import io.stoker.server.MigratedDatabase
import io.stoker.dsl.JobfileCompiler
import io.stoker.engine.artifact.FileArtifactStore
import io.stoker.engine.exec.local.LocalExecutor
import io.stoker.engine.log.FileLogStore
import io.stoker.engine.run.RunEngine
import io.stoker.engine.trigger.JobTrigger
import io.stoker.server.db.Database
import io.stoker.server.event.EventHub
import io.stoker.server.git.GitCredentialsLookup
import io.stoker.server.git.GitMirrors
import io.stoker.server.project.LocalRepositories
import io.stoker.server.project.MirroredGitProjects
import io.stoker.server.project.ProjectRepository
import io.stoker.server.project.ProjectService
import io.stoker.server.project.ProjectSpec
import io.stoker.server.run.H2RunStore
import io.stoker.server.run.RunDispatcher
import io.stoker.server.run.RunFilter
import io.stoker.server.run.RunRepository
import io.stoker.server.run.RunRow
import io.stoker.server.run.RunService
import io.stoker.server.secret.MasterKey
import io.stoker.server.secret.SecretBox

import java.nio.file.Files
import java.nio.file.Path
import java.time.Instant

/**
 * The parts triggers work with, real and in a temp dir: an H2 database, projects over git mirrors, and a run
 * service whose dispatcher runs jobs on the local executor. The clock is a {@link MutableClock}.
 */
class TriggerFixture implements Closeable {
    final MutableClock clock
    final Database db
    final RunRepository runs
    final GitMirrors mirrors
    final GitCredentialsLookup credentials
    final ProjectService projects
    final EventHub events = new EventHub()
    final RunEngine engine
    final RunDispatcher dispatcher
    final RunService service
    final TriggerState state

    TriggerFixture(Path dir, Instant now) {
        clock = new MutableClock(now)
        Path data = Files.createDirectories(dir.resolve('db'))
        MigratedDatabase.copyInto(data) // a copy of a store migrated once per spec JVM
        db = Database.open(data)
        runs = new RunRepository(db)
        mirrors = new GitMirrors(dir.resolve('git'))
        credentials = new GitCredentialsLookup(dir.resolve('git-credentials.properties'), [:])
        projects = new ProjectService(new ProjectRepository(db, new SecretBox(MasterKey.load(dir, [:]))),
                new MirroredGitProjects(mirrors, credentials), new JobfileCompiler(), clock,
                new LocalRepositories(dir.resolve('git')))
        engine = new RunEngine(new LocalExecutor(Files.createDirectories(dir.resolve('scratch'))),
                JobTrigger.UNAVAILABLE, new FileLogStore(dir.resolve('runs')), new FileArtifactStore(dir.resolve('runs')),
                new H2RunStore(runs), clock)
        dispatcher = new RunDispatcher(runs, engine, new MirroredGitProjects(mirrors, credentials), events,
                dir.resolve('workspaces'), 2, clock, null)
        service = new RunService(runs, projects, dispatcher, clock)
        state = new TriggerState(db)
    }

    void freestyle(String name, String jobfile) {
        projects.create(new ProjectSpec(name, null, null, jobfile, null, null, null))
    }

    /** A git project an admin adds: the specs' repositories are local ones ({@code file://}). */
    void git(String name, String url) {
        projects.create(new ProjectSpec(name, url, 'main', null, null, null, null), true)
    }

    List<RunRow> runsOf(String project, String job) {
        runs.list(new RunFilter(project, job, null, null, null, 1, 100)).runs()
    }

    @Override
    void close() {
        dispatcher.close()
        engine.close()
        db.close()
    }
}
