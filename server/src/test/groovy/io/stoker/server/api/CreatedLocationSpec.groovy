package io.stoker.server.api

import io.stoker.server.ServerSpecification

/**
 * A 201 says where what it made lives, in a {@code Location} header a client can follow as it is (HTTP's way),
 * instead of building the URL from the body itself; the OpenAPI document declares the header on each of them.
 */
class CreatedLocationSpec extends ServerSpecification {

    def setupSpec() {
        freestyle('loc', "job('j') { task('t') { sh 'true' } }")
    }

    def "#what answers 201 with a Location that GETs what it made"() {
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
    }
}
