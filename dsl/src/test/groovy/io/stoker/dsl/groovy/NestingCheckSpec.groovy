package io.stoker.dsl.groovy

import io.stoker.dsl.groovy.sandbox.NestingCheck
import io.stoker.model.Pos
import spock.lang.Specification

class NestingCheckSpec extends Specification {

    def "brackets in strings and comments do not count towards nesting"() {
        expect:
        NestingCheck.firstTooDeep(text, 2) == Optional.ofNullable(at)

        where:
        text                                   | at
        "job('a') { task('b') { x() } }"       | new Pos(1, 25)
        "job('a') {\n  x((1))\n}"              | new Pos(2, 5)
        "a { b { '(((((' } }"                  | null
        "a { b { \"((((\\\"((\" } }"           | null
        "a { b { '''\n((((\n''' } }"           | null
        "a { // ((((((\n b { } }"              | null
        "a { /* (((\n((( */ b { } }"           | null
        "((()))"                               | new Pos(1, 3)
    }
}
