package io.stoker.engine.params

import spock.lang.Specification

import static io.stoker.engine.fixtures.Jobs.*

class ParameterResolverSpec extends Specification {

    def web = job('web', [parameters: [string('NAME', 'world'), choice('ENV', ['staging', 'prod']), bool('DEPLOY')]],
            task('a', 'echo'))

    def "defaults fill what is not given and values are typed"() {
        when:
        def r = ParameterResolver.resolve(web, [ENV: 'prod', DEPLOY: given])

        then:
        r.ok()
        r.parameters().values() == [NAME: 'world', ENV: 'prod', DEPLOY: expected]
        r.parameters().asEnv().DEPLOY == expected.toString()

        where:
        given   | expected
        'true'  | true
        'yes'   | true
        '1'     | true
        'false' | false
        'no'    | false
        '0'     | false
    }

    def "every bad value is reported at once with what would be valid"() {
        when:
        def r = ParameterResolver.resolve(web, [X: '1', ENV: 'qa', DEPLOY: 'maybe'])

        then:
        !r.ok()
        r.errors() == [
                "unknown parameter 'X' (job 'web' has NAME, ENV, DEPLOY)",
                "parameter 'ENV' must be one of staging, prod (got 'qa')",
                "parameter 'DEPLOY' is a bool: use true/false, yes/no or 1/0 (got 'maybe')"]
    }

    def "a value no environment variable can hold is refused before the run, not when its task starts"() {
        expect:
        ParameterResolver.resolve(web, [NAME: value]).errors() == errors

        where:
        value                                               | errors
        'a\u0000b'                                          | ["parameter 'NAME' must not contain a NUL character (a task gets it as an environment variable)"]
        'x' * (ParameterResolver.MAX_VALUE_BYTES + 1)       | ["parameter 'NAME' is longer than 65536 bytes (a task gets it as an environment variable)"]
        'é' * (ParameterResolver.MAX_VALUE_BYTES.intdiv(2)) | []
        'é' * (ParameterResolver.MAX_VALUE_BYTES.intdiv(2) + 1) | ["parameter 'NAME' is longer than 65536 bytes (a task gets it as an environment variable)"]
    }
}
