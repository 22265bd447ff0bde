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

    def "a URL without its scheme, or with the API's own path, is refused saying what to write: #url"() {
        when:
        ServerOption.resolve(url, [:])

        then:
        def e = thrown(CliException)
        e.exitCode() == 2
        e.message == expected

        where:
        url                               || expected
        '127.0.0.1:8080'                  || "--server must look like http://HOST:PORT, not '127.0.0.1:8080'"
        'http://bad host'                 || "--server must look like http://HOST:PORT, not 'http://bad host'"
        'http://ci.example:8080/api/v1'   || "--server is the server's address without /api/v1: http://ci.example:8080, not 'http://ci.example:8080/api/v1'"
        'https://ci.example/stoker/api/v1/' || "--server is the server's address without /api/v1: https://ci.example/stoker, not 'https://ci.example/stoker/api/v1/'"
    }

    def "a URL from STOKER_SERVER is no mistake in the command line, and is named as the server URL"() {
        when:
        ServerOption.resolve(null, [STOKER_SERVER: '127.0.0.1:8080'])

        then:
        def e = thrown(CliException)
        !(e instanceof io.stoker.cli.CommandLineMistake)
        e.message == "the server URL must look like http://HOST:PORT, not '127.0.0.1:8080'"
    }
}
