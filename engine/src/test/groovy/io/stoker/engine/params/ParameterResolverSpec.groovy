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
}
