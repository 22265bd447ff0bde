package io.stoker.server.api

import io.stoker.server.Http
import io.stoker.server.ServerSpecification

/**
 * The API reads JSON bodies whatever type the client declares: {@code curl -d} sends
 * {@code application/x-www-form-urlencoded}, and such a body is read as it is, not decoded as form fields. A body that
 * is not JSON and not declared JSON either is a 415 naming the type to send.
 */
class FormTypedBodySpec extends ServerSpecification {

    def "a JSON body sent as a form is read as JSON: #what"() {
        given: "a Jobfile whose steps hold '&&', '%s', '+' and '=' (form syntax) and #what"
        String jobfile = "job('j') {\n  task('t') { sh 'date +%s && echo a=b+c' }\n" +
                "  task('u') { sh 'echo " + ('x' * filler) + "' }\n}\n"
        byte[] body = Http.JSON.writeValueAsBytes([name: name, jobfile: jobfile])

        when:
        def reply = http.postRaw('/projects', body, ['content-type': 'application/x-www-form-urlencoded'])

        then:
        reply.status == 201
        http.get("/projects/$name").json.jobfile == jobfile

        where:
        what                                   | name         | filler
        'a few hundred bytes'                  | 'form-small' | 10
        'over the 8 KB of one form field'      | 'form-large' | 12_000
    }

    def "a body that is not JSON, sent as a form, is a 415 naming the type to send"() {
        when:
        def reply = http.postRaw('/projects', 'name=a&jobfile=b'.bytes, ['content-type': 'application/x-www-form-urlencoded'])

        then: 'the form was never meant for this API: the answer says what it takes, not where the JSON went wrong'
        reply.status == 415
        reply.json.message == 'the body is application/x-www-form-urlencoded, not JSON: this endpoint takes a JSON body, sent with Content-Type: application/json'
        reply.json.details == ['Content-Type: application/json']
    }

    def "a JSON object sent as a form that the API refuses is a 400 saying why, as when declared JSON: #what"() {
        when: 'curl -d, as the README\'s examples send it'
        def reply = http.postRaw('/tokens', body.bytes, ['content-type': 'application/x-www-form-urlencoded'])

        then: 'the body was meant as JSON: the answer says what is wrong with it, not that it is no JSON'
        reply.status == 400
        reply.json.message == message

        where:
        what                          | body                                                    || message
        'a field given twice'         | '{"name": "t", "name": "u"}'                            || "duplicate field 'name'"
        'a number past any double'    | '{"name": "t", "expiresInDays": 1e400}'                 || "'expiresInDays' is a number out of range"
        'a brace never closed'        | '  {"name": "t"'                                        || 'the body is not valid JSON'
        'a list with a trailing comma' | '[1,]'                                                 || 'the body is not valid JSON'
    }

    def "a body declared JSON that is not is a 400 that says why, with no empty detail"() {
        when:
        def reply = http.postRaw('/projects', 'name=a&jobfile=b'.bytes, ['content-type': 'application/json'])

        then:
        reply.status == 400
        reply.json.message
        !(reply.json.details as List).contains('null')

        and: "in the words a Jobfile's JSON errors use, not the parser's"
        (reply.json.details as List)[0] ==~ /'name.*' is not a JSON value: write text in double quotes.*, at line 1, column \d+/
        !reply.text.contains('was expecting')
    }
}
