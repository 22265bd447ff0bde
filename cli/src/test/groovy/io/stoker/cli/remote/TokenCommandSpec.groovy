package io.stoker.cli.remote

import io.stoker.cli.CliRun

/** {@code stoker token create} against a real server: a refusal names the option the user typed, not the API's field. */
class TokenCommandSpec extends RemoteCliSpecification {
    @Override
    int slots() {
        1
    }

    def "an expiry out of range is refused naming --expires-in-days, exit 2"() {
        when:
        def r = stoker('token', 'create', 'ci', '--expires-in-days', days)

        then:
        r.exit == 2
        r.err.trim() == "stoker: --expires-in-days must be from 1 to 3650, not $days"
        r.out.isEmpty()

        where:
        days << ['0', '3651']
    }

    def "an expiry in range creates the token"() {
        when:
        def r = stoker('token', 'create', 'ci', '--expires-in-days', '30')

        then:
        r.exit == 0
        r.err ==~ /(?s).*created token 'ci', expires \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ;.*/

        and: 'the list shows its instants to the second, as every table does'
        stoker('token', 'list').out.readLines().find { it.startsWith('ci ') } ==~
                /ci\s+admin\s+.+\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\s+-\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/
    }

    def "the tokens of a user there is not are refused naming the user, exit 2, not listed as none"() {
        when:
        def r = stoker('token', 'list', '--user', 'nobody')

        then:
        r.exit == 2
        r.err.trim() == "stoker: no user 'nobody'"
        r.out.isEmpty()
    }

    def "--role makes a limited token, listed with its role; a role above yours is refused naming --role"() {
        when:
        def made = stoker('token', 'create', 'dash', '--role', 'viewer')
        def listed = stoker('token', 'list')
        def limited = made.out.trim()
        def refused = CliRun.of('token', 'create', 'more', '--server', server.url(), '--token', limited)
        def bad = stoker('token', 'create', 'odd', '--role', 'boss')

        then:
        made.exit == 0
        listed.out.readLines()[0].split(/\s+/)[0..2] == ['NAME', 'USER', 'ROLE']
        listed.out.readLines().find { it.startsWith('dash ') }.split(/\s+/)[0..2] == ['dash', 'admin', 'viewer']
        listed.out.readLines().find { it.startsWith('spec ') }.split(/\s+/)[0..2] == ['spec', 'admin', "user's"]
        refused.exit == 2
        refused.err.readLines()*.trim() == ['stoker: a token limited to the viewer role cannot make tokens', 'use a login or a token without a role']
        bad.exit == 2
        bad.err.trim() == "stoker: --role must be admin, developer or viewer, not 'boss'"
    }
}
