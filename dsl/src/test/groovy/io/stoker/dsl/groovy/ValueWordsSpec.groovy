package io.stoker.dsl.groovy

import io.stoker.dsl.groovy.sandbox.ValueWords
import spock.lang.Specification

/** Every type a diagnostic can speak of is named in the author's words, never by its JVM name. */
class ValueWordsSpec extends Specification {

    def "a value of type #type is called #words"() {
        expect:
        ValueWords.kind(type) == words

        where:
        type                           || words
        'String'                       || 'text'
        'GString'                      || 'text'
        'GStringImpl'                  || 'text'
        'Integer'                      || 'a number'
        'int'                          || 'a number'
        'Long'                         || 'a number'
        'BigDecimal'                   || 'a decimal number'
        'double'                       || 'a decimal number'
        'Boolean'                      || 'true/false'
        'List'                         || 'a list'
        'ArrayList'                    || 'a list'
        'Map'                          || 'a map'
        'LinkedHashMap'                || 'a map'
        'Map$Entry'                    || 'a map'
        'IntRange'                     || 'a range'
        'Closure'                      || 'a { … } block'
        'Object'                       || 'a value of unknown kind'
        'null'                         || 'null'
        'TaskSpec'                     || 'the task block'
        'JobfileScript'                || 'the Jobfile'
        'Matcher'                      || 'a value'
    }

    def "a map given as a word's argument is its named arguments"() {
        expect:
        ValueWords.argument('LinkedHashMap') == 'named arguments (name: value)'
        ValueWords.argument('String') == 'text'
    }

    def "a parameter of type #type.simpleName is written #written"() {
        expect:
        ValueWords.written(type) == written

        where:
        type          || written
        String        || "'…'"
        String[]      || "'…', …"
        int           || 'a whole number'
        long          || 'a whole number'
        boolean       || 'true/false'
        List          || '[…]'
        Map           || 'name: value, …'
        Closure       || '{ … }'
    }
}
