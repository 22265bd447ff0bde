package io.stoker.server.version

import io.stoker.server.Http
import io.stoker.server.ServerSpecification
import io.stoker.server.api.VersionRoutes
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream

import java.nio.file.Files
import java.nio.file.Path

/** Runs publish versions through a real server; the API lists, serves, marks and deletes them. */
class VersionApiSpec extends ServerSpecification {

    static final String JOBFILE = '''
job('release') {
  parameters { string 'V'; bool 'FAIL', defaultValue: false }
  publish version: '${{ outputs.build.version }}'
  task('build') {
    sh 'mkdir -p dist/lib && echo "app $V" > dist/app.jar && head -c 70000 /dev/urandom > dist/lib/blob.bin && echo "version=$V" >> "$STOKER_OUTPUT"'
    artifacts 'dist/**'
  }
  task('test') {
    needs 'build'
    sh 'test "$FAIL" != true'
  }
}
'''

    Path store() { dataDir.resolve('versions/shop') }

    def setupSpec() {
        freestyle('shop', JOBFILE)
    }

    def "a successful run publishes a version whose archive matches the store's files byte for byte"() {
        when:
        String key = trigger('shop', 'release', [parameters: [V: '1.0.0']])
        def run = awaitEnd(key)

        then:
        run.status == 'succeeded'

        when:
        def list = http.get('/projects/shop/versions').json
        def manifest = http.get('/projects/shop/versions/1.0.0').json
        def archive = http.get('/projects/shop/versions/1.0.0/archive.tar.gz')

        then:
        list.total == 1
        list.versions[0].subMap('version', 'status', 'run') == [version: '1.0.0', status: 'new', run: key]
        list.versions[0].createdAt
        manifest.files*.path == ['dist/app.jar', 'dist/lib/blob.bin']
        manifest.files[1].size == 70000
        archive.status == 200
        archive.header('content-type') == 'application/gzip'
        untar(archive.bytes) == [
                'dist/app.jar'     : Files.readAllBytes(store().resolve('1.0.0/dist/app.jar')),
                'dist/lib/blob.bin': Files.readAllBytes(store().resolve('1.0.0/dist/lib/blob.bin'))]
        http.get('/projects/shop/versions/1.0.0/files/dist/lib/blob.bin').bytes == Files.readAllBytes(store().resolve('1.0.0/dist/lib/blob.bin'))
        manifest.files[1].sha256 == sha256(Files.readAllBytes(store().resolve('1.0.0/dist/lib/blob.bin')))
        list.versions[0].runNumber == run.number
    }

    def "a failed run publishes nothing"() {
        when:
        def run = awaitEnd(trigger('shop', 'release', [parameters: [V: '1.1.0', FAIL: 'true']]))

        then:
        run.status == 'failed'
        http.get('/projects/shop/versions/1.1.0').status == 404
        !Files.exists(store().resolve('1.1.0'))
    }

    def "publishing the same version again fails the run with the reason in its log"() {
        when:
        String key = trigger('shop', 'release', [parameters: [V: '1.0.0']])
        def run = awaitEnd(key)

        then:
        run.status == 'failed'
        run.reason.contains('version 1.0.0 of project shop exists already')
        http.get("/runs/$key/tasks/test/log").text.contains('publish refused: version 1.0.0 of project shop exists already')
    }

    def "a forced re-publish is refused to a developer of the project and replaces the version whole for an admin, audited"() {
        given: 'version 3.0.0, marked good, and a developer who is a member of the project'
        String first = trigger('shop', 'release', [parameters: [V: '3.0.0']])
        assert awaitEnd(first).status == 'succeeded'
        assert http.put('/projects/shop/versions/3.0.0/status', [status: 'good']).status == 200
        def oldBlob = Files.readAllBytes(store().resolve('3.0.0/dist/lib/blob.bin'))
        assert http.post('/users', [username: 'forcer', password: 'forcer-password-123', role: 'developer']).status == 201
        assert http.put('/projects/shop/members/forcer', [:]).status in [200, 201, 204]
        def dev = Http.loggedIn(server.url(), 'forcer', 'forcer-password-123')

        when: 'the developer asks'
        def refused = dev.post('/projects/shop/jobs/release/runs', [parameters: [V: '3.0.0'], forcePublish: true])

        then: 'refused before any run is queued; the developer may still trigger an ordinary run'
        refused.status == 403
        refused.json.message.contains('admin')
        dev.post('/projects/shop/jobs/release/runs', [parameters: [V: '3.9.0']]).status == 201

        when: 'an admin forces'
        String forced = trigger('shop', 'release', [parameters: [V: '3.0.0'], forcePublish: true])
        def run = awaitEnd(forced)
        def manifest = http.get('/projects/shop/versions/3.0.0').json
        byte[] newBlob = Files.readAllBytes(store().resolve('3.0.0/dist/lib/blob.bin'))

        then: 'the run succeeded and version 3.0.0 is the new one throughout: manifest, files, archive; its mark is gone'
        run.status == 'succeeded'
        run.forcePublish == true
        http.get("/runs/$forced/tasks/test/log").text.contains('published (forced: replacing any earlier one) version 3.0.0')
        manifest.run == forced
        manifest.status == 'new'
        newBlob != oldBlob
        manifest.files.find { it.path == 'dist/lib/blob.bin' }.sha256 == sha256(newBlob)
        untar(http.get('/projects/shop/versions/3.0.0/archive.tar.gz').bytes)['dist/lib/blob.bin'] == newBlob
        http.get('/projects/shop/versions?version=3.0.0').json.total == 1
        Files.list(store()).noneMatch { it.fileName.toString().startsWith('.aside-') }

        and: 'the audit log says who forced which run'
        http.get('/audit?action=version.force-publish').json.find { it.detail.run == forced }
                .subMap('actor', 'target') == [actor: 'admin', target: 'shop/release']

        and: 'an ordinary trigger of the same version is still refused'
        awaitEnd(trigger('shop', 'release', [parameters: [V: '3.0.0']])).status == 'failed'

        and: 'forcePublish must be a boolean'
        http.post('/projects/shop/jobs/release/runs', [forcePublish: 'yes']).with {
            status == 400 && json.message.contains("'forcePublish' must be true or false")
        }
    }

    def "versions are marked good or bad, filtered by status, and deleted by admins only"() {
        given:
        awaitEnd(trigger('shop', 'release', [parameters: [V: '2.0.0']]))

        when:
        def marked = http.put('/projects/shop/versions/2.0.0/status', [status: 'good'])

        then:
        marked.status == 200
        marked.json.status == 'good'
        http.get('/projects/shop/versions?status=good').json.versions*.version == ['2.0.0']
        http.get('/projects/shop/versions?pageSize=1&page=2').json.with { [it.total >= 2, it.versions.size()] } == [true, 1]

        when: 'a developer tries to delete'
        assert http.post('/users', [username: 'dev', password: 'dev-password-123', role: 'developer']).status == 201
        def dev = Http.loggedIn(server.url(), 'dev', 'dev-password-123')

        then:
        dev.delete('/projects/shop/versions/2.0.0').status == 403

        when:
        def deleted = http.delete('/projects/shop/versions/2.0.0')

        then:
        deleted.status == 204
        http.get('/projects/shop/versions/2.0.0').status == 404
        !Files.exists(store().resolve('2.0.0'))
        !Files.exists(store().resolve('archive/2.0.0.tar.gz'))
    }

    def "a version a target runs now is deleted only when forced: it could no longer be deployed or rolled back to"() {
        given: 'version 3.0.0 of a project with a one-shot target, deployed there and judged good'
        freestyle('runs', JOBFILE + "deploy('once') { run 'true' }\n")
        awaitEnd(trigger('runs', 'release', [parameters: [V: '3.0.0']]))
        assert http.post('/projects/runs/deployments', [version: '3.0.0', target: 'once']).status == 202
        Http.eventually { http.get('/projects/runs/deployments').json.deployments[0].state == 'good' }

        when:
        def refused = http.delete('/projects/runs/versions/3.0.0')

        then:
        refused.status == 409
        refused.json.error == 'deployed'
        refused.json.message.contains('version 3.0.0 of project runs is deployed now')
        refused.json.message.contains('?force=true')
        http.get('/projects/runs/versions/3.0.0').status == 200

        when:
        def forced = http.delete('/projects/runs/versions/3.0.0?force=true')

        then:
        forced.status == 204
        http.get('/projects/runs/versions/3.0.0').status == 404
    }

    def "a deleted project's versions go with it: a new project of the name starts with none"() {
        given:
        freestyle('gone', JOBFILE)
        assert awaitEnd(trigger('gone', 'release', [parameters: [V: '3.0.0']])).status == 'succeeded'
        assert http.get('/projects/gone/versions').json.total == 1

        when:
        assert http.delete('/projects/gone').status == 204
        freestyle('gone', JOBFILE)

        then:
        http.get('/projects/gone/versions').json.total == 0
        http.get('/projects/gone/versions/3.0.0').status == 404
        !Files.exists(dataDir.resolve('versions/gone'))
    }

    def "bad requests name the field"() {
        expect:
        http.put('/projects/shop/versions/1.0.0/status', [status: 'great']).with { status == 400 && json.error && json.message.contains("'status'") }
        http.put('/projects/shop/versions/1.0.0/status', [state: 'good']).with { status == 400 && json.message.contains("unknown field 'state'") }
        http.get('/projects/shop/versions?status=shiny').with { status == 400 && json.details == ['field: status', 'one of: new, good, bad'] }
        http.get('/projects/shop/versions/9.9.9').status == 404
        http.get('/projects/nope/versions').status == 404
        http.get('/projects/shop/versions/1.0.0/files/../../archive/1.0.0.tar.gz').status == 404
    }

    def "a file path that is a slash, holds a NUL or a line break is not found, never a 500"() {
        expect:
        http.get("/projects/shop/versions/1.0.0/files/$path").with { status == 404 && json.error }

        where:
        path << ['%2F', 'dist/%2F', '%00', 'dist/a%00b', 'x%0D%0ASet-Cookie:%20a=b']
    }

    def "a download's name is the file's, kept in UTF-8 when it is not plain ASCII"() {
        expect:
        io.stoker.server.api.Disposition.attachment('app.tar') == 'attachment; filename="app.tar"'
        io.stoker.server.api.Disposition.attachment('a"b\\c\r\n.txt') == 'attachment; filename="a_b_c__.txt"; filename*=UTF-8\'\'a%22b%5Cc%0D%0A.txt'
        io.stoker.server.api.Disposition.attachment('größe.txt') == 'attachment; filename="gr__e.txt"; filename*=UTF-8\'\'gr%C3%B6%C3%9Fe.txt'
    }

    static String sha256(byte[] b) {
        HexFormat.of().formatHex(java.security.MessageDigest.getInstance('SHA-256').digest(b))
    }

    static Map<String, byte[]> untar(byte[] gz) {
        def out = new TreeMap<String, byte[]>()
        new TarArchiveInputStream(new GzipCompressorInputStream(new ByteArrayInputStream(gz))).withCloseable { tar ->
            for (def e = tar.nextEntry; e != null; e = tar.nextEntry) {
                if (!e.directory) out[e.name] = tar.readAllBytes()
            }
        }
        out
    }
}
