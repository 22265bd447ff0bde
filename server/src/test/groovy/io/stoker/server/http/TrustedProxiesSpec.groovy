package io.stoker.server.http

import spock.lang.Specification

/** Which X-Forwarded-For entry is the client, for which proxies. */
class TrustedProxiesSpec extends Specification {

    def "the client is the right-most forwarded address that is not a trusted proxy (#peer, #forwarded)"() {
        given:
        def proxies = TrustedProxies.parse('10.0.0.0/8, 192.168.1.1, fd00::/8')

        expect:
        proxies.client(peer, forwarded) == client

        where:
        peer          | forwarded                                  || client
        '203.0.113.1' | ['198.51.100.9']                           || '203.0.113.1'  // not a proxy: its header is not read
        '10.0.0.5'    | []                                         || '10.0.0.5'
        '10.0.0.5'    | ['198.51.100.9']                           || '198.51.100.9'
        '10.0.0.5'    | ['1.1.1.1, 198.51.100.9']                  || '198.51.100.9' // what the client wrote is left of it
        '10.0.0.5'    | ['1.1.1.1', '198.51.100.9, 192.168.1.1']   || '198.51.100.9' // two headers, two proxies
        '10.0.0.5'    | ['198.51.100.9:4711']                      || '198.51.100.9'
        '10.0.0.5'    | ['[2001:db8::7]:443']                      || '2001:db8:0:0:0:0:0:7'
        '10.0.0.5'    | ['10.9.9.9, 10.8.8.8']                     || '10.9.9.9'     // only proxies: the farthest
        '10.0.0.5'    | ['example.org']                            || '10.0.0.5'     // not an address: never looked up
        'fd00::1'     | ['198.51.100.9']                           || '198.51.100.9'
        '192.168.1.2' | ['198.51.100.9']                           || '192.168.1.2'
    }

    def "nothing set trusts nobody"() {
        expect:
        TrustedProxies.parse(null).client('10.0.0.5', ['198.51.100.9']) == '10.0.0.5'
        TrustedProxies.parse(' ').isEmpty()
    }

    def "a malformed entry is an error naming the setting, and no name is looked up"() {
        when:
        TrustedProxies.parse(spec)

        then:
        def e = thrown(IllegalArgumentException)
        e.message.startsWith('STOKER_TRUSTED_PROXIES')
        e.message.contains(spec.split(',')[-1].trim())

        where:
        spec << ['proxy.internal', '10.0.0.0/33', '10.0.0.1, 300.1.1.1', '::1/129', '10.0.0.0/x']
    }
}
