package io.stoker.server.container

import io.stoker.container.ContainerEngine
import io.stoker.container.ContainerExecutor
import io.stoker.container.ContainerImageSteps
import io.stoker.container.ContainerSettings

import io.stoker.container.fixtures.Podman
import io.stoker.container.fixtures.Registry
import io.stoker.engine.approval.ApprovalPort
import io.stoker.engine.exec.local.LocalExecutor
import io.stoker.engine.fixtures.EngineFixture
import io.stoker.engine.image.ImageDigest
import io.stoker.engine.run.RunState
import io.stoker.engine.trigger.JobTrigger
import spock.lang.AutoCleanup
import spock.lang.IgnoreIf
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Files
import java.nio.file.Path

import static io.stoker.server.container.Jobfiles.job
import java.time.Duration

/**
 * Whole runs whose tasks build, publish and pull images: the real engine, the container executor and image-step
 * port on the host's Podman, and a real registry on 127.0.0.1 that requires a login.
 */
@Timeout(300)
@IgnoreIf(value = { !Podman.installed() || !Registry.installed() }, reason = Podman.SKIP + '; ' + Registry.SKIP)
class ImageStepRunSpec extends Specification {

    @Shared
    @AutoCleanup
    Registry registry = Registry.start()

    @TempDir
    Path tmp

    String label = 'images-' + UUID.randomUUID()
    ContainerExecutor executor
    @AutoCleanup
    EngineFixture f

    private void engine(Optional<ContainerEngine> engine) {
        def scratch = Files.createDirectories(tmp.resolve('scratch'))
        executor = new ContainerExecutor(new LocalExecutor(scratch), new LocalExecutor(scratch), engine,
                ContainerSettings.defaults().withOwner(label))
        f = new EngineFixture(tmp, executor, JobTrigger.UNAVAILABLE, ApprovalPort.UNAVAILABLE,
                new ContainerImageSteps(engine, [] as Set, tmp.resolve('jib-cache'), Duration.ofMinutes(4)))
        f.workspace.resolve('Containerfile').text = "FROM ${Podman.IMAGE}\nCOPY hello.txt /hello.txt\n"
        f.workspace.resolve('hello.txt').text = 'built in a run\n'
        Files.createDirectories(f.workspace.resolve('dist')).resolve('app.txt').text = 'published in a run\n'
    }

    def cleanup() {
        executor?.reapLeftovers()
    }


    def "a task running a pushed image by its tag records the image ID the registry holds, not a digest of the host's own"() {
        given:
        engine(Optional.of(Podman.engine()))
        def repo = "${registry.host()}/org/local-${UUID.randomUUID().toString().take(8)}"

        when: 'the image is built on this host and the next task runs it with the default pull policy'
        def run = f.run(job("""\
job('release') {
  task('image') {
    buildImage context: '.', file: 'Containerfile', push: '${repo}:\${{ run.number }}', credentials: 'REGISTRY_BOT'
  }
  task('use') {
    needs 'image'
    image '${repo}:1'
    registryCredentials 'REGISTRY_BOT'
    sh 'cat /hello.txt'
  }
}
"""), [secrets: [REGISTRY_BOT: Registry.credentials()]])
        def id = registry.imageIdOf(repo.substring(registry.host().length() + 1), '1')

        then:
        run.state() == RunState.SUCCEEDED
        run.task('use').images() == [new ImageDigest("${repo}:1".toString(), id, ImageDigest.Use.RAN)]
        f.log(run, 'use').contains("image ${repo}:1 has the image ID $id")

        cleanup:
        Podman.podman('rmi', '-f', "${repo}:1".toString())
    }

    def "a run builds and pushes with the secret's login, and its next task pulls that image back and runs in it"() {
        given:
        engine(Optional.of(Podman.engine()))
        def repo = "${registry.host()}/org/run-${UUID.randomUUID().toString().take(8)}"

        when:
        def run = f.run(job("""\
job('release') {
  task('image') {
    buildImage context: '.', file: 'Containerfile', push: '${repo}:\${{ run.number }}', credentials: 'REGISTRY_BOT'
    sh 'podman rmi -f ${repo}:1 >/dev/null 2>&1 || true'
  }
  task('use') {
    needs 'image'
    image '${repo}:1'
    pull 'always'
    registryCredentials 'REGISTRY_BOT'
    sh 'cat /hello.txt'
  }
}
"""), [secrets: [REGISTRY_BOT: Registry.credentials()]])

        then:
        run.state() == RunState.SUCCEEDED
        def pushed = run.task('image').images()
        pushed.size() == 1
        pushed[0].use() == ImageDigest.Use.PUSHED
        pushed[0].reference() == "${repo}:1".toString()
        pushed[0].digest() == registry.digestOf(repo.substring(registry.host().length() + 1), '1')

        and: 'the second task ran in exactly the pushed image'
        run.task('use').images() == [new ImageDigest("${repo}:1".toString(),
                registry.imageIdOf(repo.substring(registry.host().length() + 1), '1'), ImageDigest.Use.RAN)]
        f.log(run, 'use').contains('built in a run')

        and: 'the password never reaches a log'
        !f.log(run, 'image').contains(Registry.PASSWORD)
        !f.log(run, 'use').contains(Registry.PASSWORD)
        f.log(run, 'image').contains("pushed ${repo}:1 digest ${pushed[0].digest()}")

        cleanup:
        Podman.podman('rmi', '-f', "${repo}:1".toString())
    }

    def "publishImage runs in a run on a host without any container engine"() {
        given:
        engine(Optional.empty())

        when:
        def run = f.run(job("""\
job('release') {
  task('publish') {
    publishImage from: 'dist/**', push: '${registry.host()}/org/jib-run:\${{ run.number }}', credentials: 'REGISTRY_BOT'
  }
  task('build') { buildImage push: '${registry.host()}/org/never:1' }
}
"""), [secrets: [REGISTRY_BOT: Registry.credentials()]])

        then:
        run.task('publish').state().label() == 'succeeded'
        run.task('publish').images()*.digest() == [registry.digestOf('org/jib-run', '1')]

        and: 'a build says what to install'
        run.task('build').outcome().reason() == ContainerImageSteps.NO_ENGINE
    }

    def "a private pull with a wrong login fails the task in one sentence naming the registry and user"() {
        given:
        engine(Optional.of(Podman.engine()))
        def ref = "${registry.host()}/org/private:1".toString()
        assert Podman.podman('tag', Podman.IMAGE, ref).exit == 0
        assert Podman.podman('push', '--tls-verify=false', '--creds', Registry.credentials(), ref).exit == 0
        Podman.podman('rmi', '-f', ref)

        when:
        def run = f.run(job("""\
job('j') {
  task('t') { image '${ref}'; registryCredentials 'WRONG_BOT'; sh 'true' }
}
"""), [secrets: [WRONG_BOT: 'bot:not-the-password']])

        then:
        run.state() == RunState.FAILED
        run.task('t').outcome().reason() == "cannot pull image '${ref}': the registry ${registry.host()} refused the login of user 'bot'".toString()
        !f.log(run, 't').contains('not-the-password')
    }
}
