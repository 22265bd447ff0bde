package io.stoker.server.api

import io.stoker.agent.ssh.fixtures.SshTestServer
import io.stoker.server.ServerSpecification
import io.stoker.server.ScratchDirectory
import spock.lang.Shared

import java.nio.file.Path

/**
 * A 201 says where what it made lives, in a {@code Location} header a client can follow as it is (HTTP's way),
 * instead of building the URL from the body itself; the OpenAPI document declares the header on each of them.
 */
class CreatedLocationSpec extends ServerSpecification {
    @Shared SshTestServer ssh
    @Shared Path work = ScratchDirectory.removedAtExit('CreatedLocationSpec')

    def setupSpec() {
        freestyle('loc', "job('j') { task('t') { sh 'true' } }")
        ssh = SshTestServer.start()
    }

    def cleanupSpec() {
        ssh?.close()
    }

    def "#what answers 201 with a Location that GETs what it made, or the list it joins when it is never shown again"() {
        when:
        def made = create.call()

        then:
        made.status == 201
        String location = made.headers['location'][0]
        location == '/api/v1' + path.call(made.json)
        http.get(server.url() + location).status == 200

        and: 'the document declares it'
        ReplySchemas.DOC.at("/paths/${pointer}/post/responses/201/headers/Location").isObject()

        where:
        what        | pointer                                    | create                                                                    | path
        'a project' | '~1projects'                               | { http.post('/projects', [name: 'loc-made', jobfile: "job('j') { task('t') { sh 'true' } }"]) } | { "/projects/${it.name}" }
        'a trigger' | '~1projects~1{project}~1jobs~1{job}~1runs' | { http.post('/projects/loc/jobs/j/runs', [:]) }                          | { "/runs/${it.key}" }
        'a rerun'   | '~1runs~1{key}~1rerun'                     | { http.post("/runs/${awaitEnd(trigger('loc', 'j')).key}/rerun", null) }   | { "/runs/${it.key}" }
        'a user'    | '~1users'                                  | { http.post('/users', [username: 'located', password: 'correct-horse-battery', role: 'viewer']) } | { "/users/${it.username}" }
        'an agent'  | '~1agents'                                 | { http.post('/agents', [name: 'located', host: ssh.host(), port: ssh.port(), user: ssh.user(),
                                                                           privateKey: ssh.clientKeys().privateKeyText(), workDir: work.resolve('located').toString(),
                                                                           trustOnFirstUse: true]) }                 | { "/agents/${it.name}" }
        // a token's value is shown once and cannot be read back: its Location is the list it joins
        'an agent token' | '~1agent-tokens'                       | { http.post('/agent-tokens', [name: 'located']) }                      | { '/agent-tokens' }
        // nor are an API token's or a secret's
        'an API token'   | '~1tokens'                             | { http.post('/tokens', [name: 'located']) }                            | { '/tokens' }
        'a global secret' | '~1secrets'                           | { http.post('/secrets', [name: 'LOCATED', value: 'correct-horse-battery']) } | { '/secrets' }
        "a project's secret" | '~1secrets'                        | { http.post('/secrets', [name: 'LOCATED', value: 'correct-horse-battery', project: 'loc']) } | { '/secrets?project=loc' }
    }
}
