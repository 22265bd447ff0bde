package io.stoker.server.api

import io.stoker.server.ServerSpecification
import org.eclipse.jgit.api.Git
import spock.lang.Shared

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path

/**
 * {@code GET /runs} filters say what they filter by: an empty one ({@code ?project=}, an unset variable in a script)
 * is a 400 naming it, as an empty {@code status} or audit filter is, never "every run"; and a branch filter matches
 * the same runs whether its non-ASCII value comes percent-encoded (as browsers and the CLI send it) or raw (as
 * {@code curl 'http://…/runs?branch=fëature'} sends it). The web UI and the CLI leave an unset filter out.
 */
class RunFiltersSpec extends ServerSpecification {
    static final String BRANCH = 'fëature'

    @Shared Path repoDir
    @Shared Git git
    @Shared String onBranch

    def setupSpec() {
        repoDir = dataDir.resolveSibling(dataDir.fileName.toString() + '-repo')
        git = Git.init().setDirectory(repoDir.toFile()).setInitialBranch('main').call()
        Files.writeString(repoDir.resolve('Jobfile'), "job('j') { task('t') { sh 'true' } }\n")
        git.add().addFilepattern('.').call()
        git.commit().setMessage('first').setAuthor('spec', 'spec@example.org').setCommitter('spec', 'spec@example.org')
                .setSign(false).call()
        git.branchCreate().setName(BRANCH).call()
        assert http.post('/projects', [name: 'rf', gitUrl: repoDir.toUri().toString(), branch: 'main']).status == 201
        onBranch = awaitEnd(trigger('rf', 'j', [ref: BRANCH])).key
        awaitEnd(trigger('rf', 'j'))
    }

    def cleanupSpec() {
        git?.close()
        repoDir?.toFile()?.deleteDir()
    }

    def "an empty '#name' is a 400 naming it, not a listing of every run"() {
        when:
        def r = http.get("/runs?$name=")

        then:
        r.status == 400
        r.json.message == message
        r.json.details == details

        where: 'the details name the field first, as every refusal of a field does, then say what to give'
        name      | message               | details
        'project' | "'project' is empty"  | ['field: project', "give a project's name, or leave it out for every project's runs"]
        'job'     | "'job' is empty"      | ['field: job', "give a job's name, or leave it out for every job's runs"]
        'branch'  | "'branch' is empty"   | ['field: branch', 'give a branch, or leave it out for runs of every branch']
        'before'  | "'before' is empty"   | ['field: before', "give a run's key to page from, or leave it out for the newest runs"]
        'status'  | "unknown status ''"   | ['field: status', 'one of: queued, running, succeeded, failed, timedout, cancelled']
        'trigger' | "unknown trigger ''"  | ['field: trigger', 'one of: ' + io.stoker.server.run.RunFilter.TRIGGERS.join(', ')]
    }

    def "the other lists refuse an empty filter the same way: #path"() {
        when:
        def r = http.get(path)

        then:
        r.status == 400
        r.json.message == "'$name' is empty"
        r.json.details[0] == "field: $name"
        r.json.details[1].startsWith('give ')

        where:
        path                               | name
        '/projects/rf/versions?version='   | 'version'
        '/projects/rf/deployments?target=' | 'target'
        '/audit?actor='                    | 'actor'
        '/audit?action='                   | 'action'
        '/audit?target='                   | 'target'
        '/tokens?user='                    | 'user'
    }

    def "a log search for no text says whether 'q' is empty or missing, naming it"() {
        expect:
        with(http.get("/runs/$onBranch/tasks/t/log/search?q=")) {
            status == 400
            json.message == "'q' is empty"
            json.details[0] == 'field: q'
        }
        http.get("/runs/$onBranch/tasks/t/log/search").json.message == "'q' is missing"
    }

    def "a filter with a value still filters"() {
        expect:
        http.get('/runs?project=rf').json.total == 2
        http.get('/runs?project=rf&job=j&branch=main').json.total == 1
    }

    def "a non-ASCII branch filter matches its runs whether sent percent-encoded or raw"() {
        given:
        String encoded = URLEncoder.encode(BRANCH, StandardCharsets.UTF_8)

        expect: 'the run names its branch as the repository does'
        http.get("/runs/$onBranch").json.branch == BRANCH

        and: 'encoded, as a browser sends it'
        http.get("/runs?project=rf&branch=$encoded").json.runs*.key == [onBranch]

        and: 'raw UTF-8 bytes in the request line, as curl sends them'
        rawGet("/api/v1/runs?project=rf&branch=$BRANCH") == [onBranch]
    }

    /** The run keys of a GET whose request line carries {@code target} as UTF-8 bytes, unescaped. */
    private List<String> rawGet(String target) {
        def uri = URI.create(server.url())
        new Socket(uri.host, uri.port).withCloseable { s ->
            s.soTimeout = 10_000
            String head = "GET $target HTTP/1.1\r\nHost: $uri.host\r\nAuthorization: Bearer ${http.token}\r\n" +
                    "Connection: close\r\n\r\n"
            s.outputStream.write(head.getBytes(StandardCharsets.UTF_8))
            s.outputStream.flush()
            String reply = new String(s.inputStream.readAllBytes(), StandardCharsets.UTF_8)
            assert reply.startsWith('HTTP/1.1 200'): reply
            String body = reply.substring(reply.indexOf('\r\n\r\n') + 4)
            // a chunked body would need unchunking: the listing is small and sent whole, with a length
            (Http.parse(body).runs*.key) as List<String>
        }
    }
}
