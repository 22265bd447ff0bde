package io.stoker.server.api

import io.stoker.server.Http
import io.stoker.server.ServerSpecification

/**
 * What a project's Jobfile costs the API: the list of projects leaves each Jobfile's text out (a project's own answer
 * has it), and a project's create and update read any Jobfile the compiler accepts, however JSON escapes it.
 */
class ProjectBodiesSpec extends ServerSpecification {

    static final String SMALL = "job('build') {\n  task('t') { sh 'true' }\n}\n"
    static final int MiB = 1 << 20

    def "the list of projects leaves out each Jobfile's text, which the project's own answer has"() {
        given:
        freestyle('listed', SMALL)

        when:
        def listed = http.get('/projects').json.find { it.name == 'listed' }

        then:
        !listed.containsKey('jobfile')
        listed.kind == 'freestyle'
        listed.jobs == ['build']

        and:
        http.get('/projects/listed').json.jobfile == SMALL
    }

    def "a Jobfile of nearly 1 MiB that JSON escaping makes larger than the body limit is added and updated"() {
        given: 'a Jobfile of quotes and line breaks, each of them two bytes once escaped'
        String jobfile = nearlyOneMiB('"\n')
        byte[] body = Http.JSON.writeValueAsBytes([name: 'escaped', jobfile: jobfile])
        assert body.length > 2 * MiB - 1024 // twice the general body limit

        when:
        def created = http.postRaw('/projects', body, ['content-type': 'application/json'])

        then:
        created.status == 201
        http.get('/projects/escaped').json.jobfile == jobfile

        when: 'the same escaped text sent again as an update'
        def updated = http.put('/projects/escaped', [jobfile: nearlyOneMiB("\t\\")])

        then:
        updated.status == 200
    }

    def "a body above the limit is a 413 that names the limit and the setting"() {
        when: 'a run started with a body larger than 1 MiB'
        freestyle('limited', SMALL)
        def r = http.postRaw('/projects/limited/jobs/build/runs', new byte[MiB + 1], ['content-type': 'application/json'])

        then:
        r.status == 413
        r.json.message == 'the request body is larger than the server accepts: at most 1048576 bytes ' +
                '(STOKER_MAX_BODY_BYTES sets it)'

        when: 'a project whose body is larger than any Jobfile escaped'
        def p = http.postRaw('/projects', new byte[ApiRouter.projectBodyLimit(MiB) + 1], ['content-type': 'application/json'])

        then:
        p.status == 413
        p.json.message.contains("at most ${ApiRouter.projectBodyLimit(MiB)} bytes for a project")
        p.json.message.contains('STOKER_MAX_BODY_BYTES')
    }

    /** A valid Jobfile of nearly 1 MiB of text, most of it a comment repeating {@code filler}. */
    private static String nearlyOneMiB(String filler) {
        String head = SMALL + '/*'
        String tail = '*/\n'
        int room = MiB - head.length() - tail.length() - 16
        head + (filler * (room / filler.length())) + tail
    }
}
