package io.stoker.model

import spock.lang.Specification

class DiagnosticSpec extends Specification {

    def "a diagnostic prints as file:line:col: message"() {
        expect:
        Diagnostic.error('Jobfile', new Pos(3, 7), "unknown task 'biuld'").toString() == "Jobfile:3:7: unknown task 'biuld'"
    }

    def "a diagnostic without a position prints the file alone"() {
        expect:
        Diagnostic.error('Jobfile', Pos.NONE, 'empty Jobfile').toString() == 'Jobfile: empty Jobfile'
    }

    def "a task's upstream is its needs and its pipe writer, once each"() {
        given:
        def task = new Task('sum', 'sum', [:], [], needs, input, [:], [], [], null, null, 0, 0, false, null, null, null, null, Pos.NONE)

        expect:
        task.upstream() == upstream

        where:
        needs        | input | upstream
        []           | null  | []
        ['a']        | 'gen' | ['a', 'gen']
        ['gen']      | 'gen' | ['gen']
    }
}
