package io.stoker.server.shuttle

import io.stoker.container.fixtures.Podman
import io.stoker.container.fixtures.Registry
import io.stoker.server.Http
import io.stoker.server.MigratedDatabase
import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.StokerServer
import spock.lang.AutoCleanup
import spock.lang.IgnoreIf
import spock.lang.Shared
import spock.lang.Timeout

import java.nio.file.Files
import java.time.Clock

/**
 * Build-Shuttle {@code docker://} sources and destinations against a real registry on 127.0.0.1 with an htpasswd
 * login: an image pushed there is the source, the build's result is pushed to a destination and pulled back by its
 * digest, a wrong password fails in one sentence, and the password shows in no log and no API answer.
 */
@Timeout(300)
@IgnoreIf(value = { !Podman.installed() || !Registry.installed() }, reason = Podman.SKIP + '; ' + Registry.SKIP)
class DockerShuttleSpec extends ServerSpecification {
    static final String WRONG = 'Wr0ng-Pa55word'

    @Shared
    @AutoCleanup
    Registry registry = Registry.start()

    StokerServer startServer(ServerConfig config) {
        Podman.engine() // imports the busybox test image once
        StokerServer.start(MigratedDatabase.into(config), Clock.systemDefaultZone(), System.getenv() + [CONTAINERS_CONF: Podman.containersConf().toString()])
    }

    /** Builds an image of the busybox test image plus {@code files} in {@code /src} (its WORKDIR) and pushes it. */
    String pushSource(String repository, Map<String, String> files) {
        def dir = Files.createTempDirectory('stoker-shuttle-src')
        try {
            files.each { name, text -> dir.resolve(name).text = text }
            dir.resolve('Containerfile.src').text = "FROM ${Podman.IMAGE}\nCOPY ${files.keySet().join(' ')} /src/\nWORKDIR /src\n"
            String ref = "${registry.host()}/$repository:1"
            def built = Podman.podman('build', '--file', dir.resolve('Containerfile.src').toString(), '--tag', ref, dir.toString())
            assert built.exit == 0, built.out
            def pushed = Podman.podman('push', '--tls-verify=false', '--creds', Registry.credentials(), ref)
            assert pushed.exit == 0, pushed.out
            Podman.podman('rmi', '-f', ref) // the server must pull it, not find it here
            ref
        } finally {
            dir.toFile().deleteDir()
        }
    }

    String docker(String ref, String password = Registry.PASSWORD) {
        "docker://${Registry.USER}:${password}@${ref}"
    }

    Map awaitBuild(String app, String build) {
        Http.eventually(120_000) {
            def s = http.get("/shuttle/$app/$build/status").json
            s.building ? null : s
        }
    }

    Map run(String app) {
        def runs = http.get("/runs?project=$app").json.runs
        assert runs.size() == 1
        http.get("/runs/${runs[0].key}").json
    }

    def "an image in a private registry is the source, and the build's result is pushed and pulled back by digest"() {
        given:
        String source = pushSource('org/src', [
                'Jobfile'  : "job('build') { task('t') { sh 'cat hello.txt && echo built from the image > out.txt' } }",
                'hello.txt': 'hello from the source image'])
        String target = "${registry.host()}/org/out:1"

        when:
        def r = http.post('/shuttle/dimg/b1', [source: [url: docker(source)], destination: [image: docker(target)]])

        then:
        r.status == 200
        r.json == [status: 'OK']
        awaitBuild('dimg', 'b1').status == 'succeeded'

        and: 'the source image held the Jobfile that ran, and the push task pushed the result'
        def log = http.get('/shuttle/dimg/b1/logs').text
        log.contains('hello from the source image')
        def run = run('dimg')
        run.tasks.keySet() == ['t', 'push-image'] as Set
        def pushed = run.tasks.'push-image'.images
        pushed == [[reference: target, digest: registry.digestOf('org/out', '1'), use: 'pushed']]

        and: 'the password is in no log and no answer'
        !log.contains(Registry.PASSWORD)
        !http.get("/runs/${run.key}").text.contains(Registry.PASSWORD)
        !http.get("/runs/${run.key}/tasks/push-image/log").text.contains(Registry.PASSWORD)
        !http.get('/shuttle/dimg/b1/status').text.contains(Registry.PASSWORD)
        !http.get('/projects/dimg').text.contains(Registry.PASSWORD)
        !http.get('/secrets?project=dimg').text.contains(Registry.PASSWORD)

        when: 'the pushed image is pulled back by its digest'
        String pinned = "${registry.host()}/org/out@${pushed[0].digest}"
        def pulled = Podman.podman('pull', '--tls-verify=false', '--creds', Registry.credentials(), pinned)
        def out = Podman.podman('run', '--rm', pinned, 'cat', '/app/out.txt', '/src/hello.txt')

        then: 'it is the source image with the build workspace under /app'
        pulled.exit == 0
        out.exit == 0
        out.out.contains('built from the image')
        out.out.contains('hello from the source image')

        cleanup:
        Podman.podman('rmi', '-f', pinned ?: 'none')
        Podman.podman('rmi', '-f', source)
    }

    def "a source with a Containerfile is built with it and pushed to the destination"() {
        given:
        String source = pushSource('org/cf', [
                'Jobfile'      : "job('build') { task('t') { sh 'echo compiled > app.txt' } }",
                'Containerfile': "FROM ${Podman.IMAGE}\nCOPY app.txt /app.txt\n"])
        String target = "${registry.host()}/org/cf-out:1"

        when:
        def r = http.post('/shuttle/dcf/b1', [source: [url: docker(source)], destination: [url: docker(target)]])

        then:
        r.status == 200
        awaitBuild('dcf', 'b1').status == 'succeeded'
        def digest = run('dcf').tasks.'push-image'.images[0].digest
        digest == registry.digestOf('org/cf-out', '1')

        when:
        String pinned = "${registry.host()}/org/cf-out@$digest"
        Podman.podman('pull', '--tls-verify=false', '--creds', Registry.credentials(), pinned)
        def out = Podman.podman('run', '--rm', pinned, 'cat', '/app.txt')

        then:
        out.out.contains('compiled')

        cleanup:
        Podman.podman('rmi', '-f', pinned ?: 'none', target)
        Podman.podman('rmi', '-f', source)
    }

    def "a wrong password for the source is a 422 naming the registry and user, never the password"() {
        given:
        String source = pushSource('org/locked', ['Jobfile': "job('build') { task('t') { sh 'true' } }"])

        when:
        def r = http.post('/shuttle/dwrong/b1', [source: [url: docker(source, WRONG)]])

        then:
        r.status == 422
        r.json.message == "cannot fetch the source image: cannot pull image '$source': the registry ${registry.host()} " +
                "refused the login of user '${Registry.USER}'"
        !r.text.contains(WRONG)

        and: 'nothing was started'
        http.get('/shuttle/dwrong/b1/status').status == 404

        cleanup:
        Podman.podman('rmi', '-f', source)
    }

    def "a wrong password for the destination fails the push task in one sentence, the password masked"() {
        given:
        String target = "${registry.host()}/org/denied:1"

        when:
        def r = http.post('/shuttle/dpush/b1', [source     : [url: archive()],
                                               destination: [image: docker(target, WRONG)]])

        then:
        r.status == 200
        def s = awaitBuild('dpush', 'b1')
        s.status == 'failed'
        def run = run('dpush')
        run.tasks.'push-image'.status == 'failed'
        def log = http.get('/shuttle/dpush/b1/logs').text
        log.contains("publishImage: the registry ${registry.host()} refused the login of user '${Registry.USER}'")
        !log.contains(WRONG)
        !http.get("/runs/${run.key}").text.contains(WRONG)
        !http.get('/shuttle/dpush/b1/status').text.contains(WRONG)

        when: 'the app builds again'
        def first = logins('dpush')
        def again = http.post('/shuttle/dpush/b2', [source: [url: archive()], destination: [image: docker(target, WRONG)]])
        awaitBuild('dpush', 'b2')

        then: 'the login of the build that is over was deleted; the new build has its own'
        again.status == 200
        first.size() == 1
        def second = logins('dpush')
        second.size() == 1
        second != first
    }

    /** The names of the destination logins kept for an app's builds. */
    List<String> logins(String app) {
        http.get("/secrets?project=$app").json*.name.findAll { it.startsWith('SHUTTLE_LOGIN_') }
    }

    /** A tar.gz holding a one-task Jobfile, served on 127.0.0.1 until the feature ends; returns its URL. */
    String archive() {
        def bytes = new ByteArrayOutputStream()
        new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(new java.util.zip.GZIPOutputStream(bytes)).withCloseable { tar ->
            byte[] data = "job('build') { task('t') { sh 'echo out > out.txt' } }".bytes
            def e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry('Jobfile')
            e.size = data.length
            tar.putArchiveEntry(e)
            tar.write(data)
            tar.closeArchiveEntry()
        }
        byte[] body = bytes.toByteArray()
        def files = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress(InetAddress.loopbackAddress, 0), 0)
        files.createContext('/') { ex ->
            ex.sendResponseHeaders(200, body.length)
            ex.responseBody.write(body)
            ex.close()
        }
        files.start()
        servers << files
        "http://127.0.0.1:${files.address.port}/src.tar.gz"
    }

    List servers = []

    def cleanup() {
        servers*.stop(0)
    }
}
