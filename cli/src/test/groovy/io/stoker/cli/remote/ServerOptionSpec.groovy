package io.stoker.cli.remote

import io.stoker.cli.CliException
import spock.lang.Specification

/** Where the client commands find the server: --server, then STOKER_SERVER, then the default. */
class ServerOptionSpec extends Specification {

    def "the option wins over the environment, which wins over the default"() {
        expect:
        ServerOption.resolve(option, env).toString() == expected

        where:
        option                  | env                                          || expected
        'http://ci.example:9000' | [STOKER_SERVER: 'http://other:1']            || 'http://ci.example:9000'
        null                    | [STOKER_SERVER: 'https://ci.example/stoker'] || 'https://ci.example/stoker'
        null                    | [STOKER_SERVER: '  ']                        || 'http://127.0.0.1:8080'
        null                    | [:]                                          || 'http://127.0.0.1:8080'
    }

    def "a URL that is not http or https is an input error naming it"() {
        when:
        ServerOption.resolve(url, [:])

        then:
        def e = thrown(CliException)
        e.exitCode() == 2
        e.message.contains("'$url'")

        where:
        url << ['ftp://host', 'localhost:8080', 'http://', 'http://bad host']
    }
}
