package io.stoker.model

import spock.lang.Specification

/** Counts in user-facing text read as words: "1 file", "2 files", never "file(s)". */
class PluralSpec extends Specification {

    def "a count of #n says #said"() {
        expect:
        Plural.of(n, 'file') == said

        where:
        n | said
        0 | '0 files'
        1 | '1 file'
        2 | '2 files'
    }

    def "the noun alone follows the count it stands for"() {
        expect:
        Plural.noun(1, 'process group') == 'process group'
        Plural.noun(3, 'process group') == 'process groups'
    }

    def "a noun whose plural is not an s added is given it: #n #said"() {
        expect:
        Plural.of(n, 'process', 'processes') == said

        where:
        n | said
        0 | '0 processes'
        1 | '1 process'
        3 | '3 processes'
    }
}
