package io.stoker.server.cache

import spock.lang.Specification

/** {@code STOKER_CACHE_MAX}: a size in bytes or with a unit, 1 GiB unset, and a bad value told with the setting's name. */
class CacheLimitSpec extends Specification {

    def "a size is bytes, or a number of KiB, MiB or GiB"() {
        expect:
        CacheLimit.fromEnv(value == null ? [:] : [STOKER_CACHE_MAX: value]) == bytes

        where:
        value        || bytes
        null         || 1L << 30
        ' '          || 1L << 30
        '1048576'    || 1L << 20
        '512m'       || 512L << 20
        '2g'         || 2L << 30
        '2GiB'       || 2L << 30
        '64k'        || 64L << 10
    }

    def "a size that is not one stops the start, naming the setting"() {
        when:
        CacheLimit.fromEnv([STOKER_CACHE_MAX: value])

        then:
        def e = thrown(IllegalArgumentException)
        e.message == "STOKER_CACHE_MAX must be a size of at least 1 byte, e.g. 1073741824, 512m or 2g, not '$value'"

        where:
        value << ['0', '-1', 'lots', '1.5g', '9999999999999g']
    }
}
