package io.stoker.container

import io.stoker.container.fixtures.Podman
import io.stoker.engine.exec.Executor
import io.stoker.engine.exec.ExecutorContract
import io.stoker.engine.exec.TaskLaunch
import io.stoker.engine.exec.local.LocalExecutor
import io.stoker.engine.fixtures.EngineFixture
import io.stoker.model.Container
import spock.lang.IgnoreIf
import spock.lang.Shared

import java.nio.file.Files
import java.nio.file.Path

/** The executor contract every executor passes, with every task in the busybox test image. */
@IgnoreIf(value = { !Podman.installed() }, reason = Podman.SKIP)
class ContainerExecutorContractSpec extends ExecutorContract {

    @Shared
    Path scratch = Files.createTempDirectory('stoker-container-scratch')
    @Shared
    String label = 'contract-' + UUID.randomUUID()
    @Shared
    ContainerExecutor executor

    def setupSpec() {
        executor = new ContainerExecutor(new LocalExecutor(scratch), new LocalExecutor(scratch), Optional.of(Podman.engine()),
                ContainerSettings.defaults().withOwner(label))
    }

    def cleanupSpec() {
        executor?.reapLeftovers()
        scratch?.toFile()?.deleteDir()
    }

    Executor executor() {
        executor
    }

    // overrides ExecutorContract.launch: the same launch, in the image
    protected TaskLaunch launch(List<String> scripts, Map<String, String> env = [:], boolean piped = false) {
        new TaskLaunch('run-1', 'task', 1, scripts, workspace, env, piped, null, [] as Set,
                new Container(Podman.IMAGE, Container.PullPolicy.NEVER, []))
    }

    // overrides ExecutorContract.processGone: the pid is the container's own; gone when the container is
    protected boolean processGone(long pid) {
        EngineFixture.await(20_000) { Podman.containers(label).isEmpty() }
    }
}
