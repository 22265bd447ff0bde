package io.stoker.server.container

import io.stoker.server.MigratedDatabase
import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.StokerServer
import spock.lang.Timeout

import java.time.Clock

/**
 * A server on a host without a container engine (simulated: its engine path names a missing binary) says so in
 * its banner and at /api/v1/version, runs host tasks as ever, and fails a task with an image in one sentence
 * naming what to install; a Build-Shuttle {@code docker://} source is refused the same way.
 */
@Timeout(120)
class NoContainerEngineSpec extends ServerSpecification {

    StokerServer startServer(ServerConfig config) {
        StokerServer.start(MigratedDatabase.into(config), Clock.systemDefaultZone(),
                System.getenv() + [(ContainerWiring.ENGINE_ENV): '/nonexistent/podman'])
    }

    def "the server says it has no engine, and a task with an image fails naming what to install"() {
        given:
        freestyle('noengine', """
job('j') {
  task('host') { sh 'echo on-host' }
  task('boxed') { needs 'host'; image 'debian:12'; sh 'echo never' }
}""")

        when:
        def run = awaitEnd(trigger('noengine', 'j'))

        then:
        http.get('/version').json.containerEngine == 'none'
        server.banner().contains('containers: none)')
        run.status == 'failed'
        http.get("/runs/${run.key}/tasks/host/log").text.contains('on-host')
        http.get("/runs/${run.key}/tasks/boxed/log").text.contains('cannot start: this task runs in an image but no '
                + 'container engine was found on the server: install Podman (Debian/Ubuntu: apt-get install podman) or Docker')
    }

    def "a Build-Shuttle docker:// source is refused naming what to install, and nothing starts"() {
        when:
        def r = http.post('/shuttle/noengine-shuttle/b1', [source: [url: 'docker://bot:pw-not-shown@127.0.0.1:5000/org/src:1']])

        then:
        r.status == 422
        r.json.message == 'a docker:// source needs a container engine on the server: install Podman (Debian/Ubuntu: ' +
                'apt-get install podman) or Docker'
        !r.text.contains('pw-not-shown')
        http.get('/shuttle/noengine-shuttle/b1/status').status == 404
    }
}
