package io.stoker.server.container

import io.stoker.container.fixtures.Podman
import io.stoker.container.fixtures.Registry
import io.stoker.server.MigratedDatabase
import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.StokerServer
import spock.lang.AutoCleanup
import spock.lang.IgnoreIf
import spock.lang.Shared
import spock.lang.Timeout

import java.time.Clock

/**
 * A server with the host's Podman and a real registry on 127.0.0.1: a run builds and pushes an image with a login
 * from the secret store, the digest shows in the REST API, and a later run pulls the image back by that digest.
 */
@Timeout(300)
@IgnoreIf(value = { !Podman.installed() || !Registry.installed() }, reason = Podman.SKIP + '; ' + Registry.SKIP)
class ImageRunsSpec extends ServerSpecification {

    @Shared
    @AutoCleanup
    Registry registry = Registry.start()

    StokerServer startServer(ServerConfig config) {
        Podman.engine() // imports the busybox test image once
        StokerServer.start(MigratedDatabase.into(config), Clock.systemDefaultZone(),
                System.getenv() + [CONTAINERS_CONF: Podman.containersConf().toString()])
    }

    def "a pushed image's digest is in the run over the API, and a later run pulls it back by that digest and records its image ID"() {
        given:
        def repo = "${registry.host()}/org/app"
        freestyle('img', """
job('release') {
  task('image') {
    sh 'printf "FROM ${Podman.IMAGE}\\\\nCOPY hello.txt /hello.txt\\\\n" > Containerfile; echo pulled back > hello.txt'
    buildImage push: '${repo}:\${{ run.number }}', credentials: 'REGISTRY_BOT'
  }
}""")
        assert http.post('/secrets', [name: 'REGISTRY_BOT', value: Registry.credentials(), project: 'img']).status == 201

        when:
        def built = awaitEnd(trigger('img', 'release'), CONTAINER_RUN)
        def image = built.tasks.image.images[0]

        then:
        built.status == 'succeeded'
        image.use == 'pushed'
        image.reference == "${repo}:1".toString()
        image.digest == registry.digestOf('org/app', '1')
        !http.get("/runs/${built.key}/tasks/image/log").text.contains(Registry.PASSWORD)

        when: 'another job runs in that image, pinned by the digest the API gave'
        def pinned = "${repo}@${image.digest}".toString()
        def replaced = http.put('/projects/img', [jobfile: """
job('use') {
  task('t') { image '${pinned}'; pull 'always'; registryCredentials 'REGISTRY_BOT'; sh 'cat /hello.txt' }
}""".toString()])
        assert replaced.status == 200, replaced.text
        def used = awaitEnd(trigger('img', 'use'), CONTAINER_RUN)

        then:
        used.status == 'succeeded'
        // what ran is named by its image ID, the digest of the image's config, which the registry holds too
        used.tasks.t.images == [[reference: pinned, digest: registry.imageIdOf('org/app', '1'), use: 'ran']]
        http.get("/runs/${used.key}/tasks/t/log").text.contains('pulled back')

        cleanup:
        Podman.podman('rmi', '-f', "${repo}:1".toString())
    }

    def "host networking is refused in one sentence naming the setting until an admin allows it for the project"() {
        given:
        freestyle('hostnet', """
job('j') {
  task('t') { image '${Podman.IMAGE}'; pull 'never'; network 'host'; sh 'echo on the host network' }
}""")

        when:
        def refused = awaitEnd(trigger('hostnet', 'j'), CONTAINER_RUN)

        then:
        refused.status == 'failed'
        refused.reason == "could not start: task 't' asks for host networking, which needs the project setting " +
                'allowHostAccess, which an admin sets (PUT /api/v1/projects/hostnet/host-access {"allowed": true})'
        http.get('/projects/hostnet/host-access').json == [allowed: false]

        when: 'the admin allows it'
        def put = http.put('/projects/hostnet/host-access', [allowed: true])
        def allowed = awaitEnd(trigger('hostnet', 'j'), CONTAINER_RUN)

        then:
        put.status == 200
        http.get('/projects/hostnet/host-access').json == [allowed: true]
        http.get('/audit?action=project.host-access').json.any { it.target == 'hostnet' && it.actor == 'admin' }
        allowed.status == 'succeeded'
        http.get("/runs/${allowed.key}/tasks/t/log").text.contains('on the host network')

        when: 'a body without the switch'
        def bad = http.put('/projects/hostnet/host-access', [:])

        then:
        bad.status == 400
        bad.json.message.contains('allowed')
    }
}
