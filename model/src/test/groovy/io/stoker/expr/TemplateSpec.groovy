package io.stoker.expr

import spock.lang.Shared
import spock.lang.Specification

import java.util.concurrent.Callable
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

class TemplateSpec extends Specification {

    @Shared
    MapContext context = new MapContext(
            [params: [A: 'alpha', B: 'beta', N: 3, D: 2.5d, BIG: 1e21d, LIST: ['a', 'b'], EMPTY: ''],
             run   : [branch: 'main']],
            [build: [version: '1.2.3'], 'test[jdk=17]': [report: 'r.xml']])

    def "#text renders as #rendered"() {
        expect:
        Expressions.template(text).render(context) == rendered

        where:
        text                                          | rendered
        ''                                            | ''
        'plain text'                                  | 'plain text'
        'v=${{ outputs.build.version }}'              | 'v=1.2.3'
        '${{params.N}}'                               | '3'
        '${{   params.N   }}'                         | '3'
        '${{\n  params.N\n}}'                         | '3'
        'a ${{ params.A }} b ${{ params.B }} c'       | 'a alpha b beta c'
        '${{ params.A }}${{ params.B }}'              | 'alphabeta'
        '''r=${{ outputs['test[jdk=17]'].report }}'''     | 'r=r.xml'
        '[${{ null }}]'                               | '[]'
        '[${{ params.MISSING }}]'                     | '[]'
        '[${{ params.EMPTY }}]'                       | '[]'
        '${{ true }}/${{ false }}'                    | 'true/false'
        '${{ params.N > 2 }}'                         | 'true'
        '${{ 1.50 }}'                                 | '1.5'
        '${{ 1.0 }}'                                  | '1'
        '${{ 100 }}'                                  | '100'
        '${{ 0.000 }}'                                | '0'
        '${{ -2.50 }}'                                | '-2.5'
        '${{ 1000000000000000000000 }}'               | '1000000000000000000000'
        '${{ 0.0000001 }}'                            | '0.0000001'
        '${{ params.D }}'                             | '2.5'
        '${{ params.BIG }}'                           | '1000000000000000000000'
        '''${{ ['a', 1.50, true, null] }}'''              | 'a,1.5,true,'
        '''${{ ['', 'x'] }}'''                            | ',x'
        '${{ params.LIST }}'                          | 'a,b'
        '${{ [[1, 2], 3] }}'                          | '1,2,3'
        '''${{ 'it\\'s' }}'''                             | "it's"
        '''${{ '}}' }}'''                                 | '}}'
        '${{ "a}}b" }} c'                             | 'a}}b c'
        '''${{ 'x\\'}}' }}'''                             | "x'}}"
        'a }} b'                                      | 'a }} b'
        '$ {{ x }}'                                   | '$ {{ x }}'
        '${ params.A }'                               | '${ params.A }'
        '$$ and $'                                    | '$$ and $'
        'echo $${{ not.an.expression }}'              | 'echo ${{ not.an.expression }}'
        '$${{ x }} and ${{ params.N }}'               | '${{ x }} and 3'
        '$$${{ params.N }}'                           | '$${{ params.N }}'
        'echo "${HOME}" ${{ run.branch }}'            | 'echo "${HOME}" main'
    }

    def "an unknown value renders as <unknown> in a dry run"() {
        expect:
        Expressions.template('deploy ${{ params.X }} to ${{ outputs.build.host }}').render(MapContext.dryRun()) ==
                'deploy <unknown> to <unknown>'
    }

    def "#text is constant: #constant"() {
        expect:
        Expressions.template(text).isConstant() == constant

        where:
        text                  | constant
        ''                    | true
        'plain'               | true
        'echo $${{ x }}'      | true
        '${{ params.A }}'     | false
        'x ${{ 1 }} y'        | false
    }

    def "a template lists its expressions with their trimmed source"() {
        when:
        def template = Expressions.template('${{ params.A }} and ${{run.branch}} and $${{ no }}')

        then:
        template.expressions()*.source() == ['params.A', 'run.branch']
        template.source() == '${{ params.A }} and ${{run.branch}} and $${{ no }}'
    }

    def "references count their offsets in the whole text: #text"() {
        expect:
        Expressions.template(text).references() as List == expected

        where:
        text                                                | expected
        'plain'                                             | []
        'echo ${{ params.A }} ${{ outputs.build.version }}' | [new Reference('params', 'A', null, 9), new Reference('outputs', 'build', 'version', 25)]
        'line1\n  ${{ params.X }}'                          | [new Reference('params', 'X', null, 12)]
        '${{params.A == env.B}}'                            | [new Reference('params', 'A', null, 3), new Reference('env', 'B', null, 15)]
        '$${{ params.A }} ${{ run.id }}'                    | [new Reference('run', 'id', null, 21)]
    }

    def "#text fails with \"#message\" at #offset of the whole text"() {
        when:
        Expressions.template(text)

        then:
        def e = thrown(ExpressionException)
        e.message == message
        e.offset() == offset

        where:
        text                                    | offset | message
        'echo ${{ params.A'                     | 5      | "unclosed '\${{': expected '}}'"
        'echo ${{ params.A }'                   | 5      | "unclosed '\${{': expected '}}'"
        'a ${{ params.A }} b ${{'               | 20     | "unclosed '\${{': expected '}}'"
        'echo ${{ }}'                           | 5      | "empty '\${{ }}': put an expression inside"
        'echo ${{}}'                            | 5      | "empty '\${{ }}': put an expression inside"
        'echo ${{ params.A && }}'               | 20     | "expected an expression after '&&'"
        'a\nb ${{ foo }}'                       | 8      | "unknown name 'foo': use params., env., outputs., run., matrix. or secrets."
        '''x ${{ 'abc }}'''                         | 6      | 'unclosed string'
        '${{ params.A }} ${{ deploy() }}'       | 20     | "unknown function 'deploy()': use success(), failure(), always() or cancelled()"
        '${{ params.A }}\n${{ (params.B }}'     | 20     | "unclosed '('"
        '😀 ${{ # }}'                           | 7      | "unexpected character '#'"
    }

    def "Expressions.render and Expressions.truth apply the same rules to any value the engine holds"() {
        expect:
        Expressions.render(3) == '3'
        Expressions.render(2.50) == '2.5'
        Expressions.render(2.5d) == '2.5'
        Expressions.render(null) == ''
        Expressions.render(true) == 'true'
        Expressions.render(['a', 2, null]) == 'a,2,'
        Expressions.render(Unknown.VALUE) == '<unknown>'
        Expressions.truth('').is(Boolean.FALSE)
        Expressions.truth('false').is(Boolean.TRUE)
        Expressions.truth(0).is(Boolean.FALSE)
        Expressions.truth([]).is(Boolean.FALSE)
        Expressions.truth(Unknown.VALUE) == Unknown.VALUE
    }

    def "a null template text is an ExpressionException, not a NullPointerException"() {
        when:
        Expressions.template(null)

        then:
        thrown(ExpressionException)
    }

    def "one parsed template renders concurrently against different contexts"() {
        given:
        def template = Expressions.template('${{ params.N }}:${{ outputs.t.k }}:${{ params.N > 100 }}')
        def pool = Executors.newFixedThreadPool(8)

        when:
        def futures = (0..<8).collect { thread ->
            pool.submit({
                (0..<500).every { i ->
                    def n = thread * 1000 + i
                    def ctx = new MapContext([params: [N: n]], [t: [k: "v$n".toString()]])
                    template.render(ctx) == "${n}:v${n}:${n > 100}".toString()
                }
            } as Callable<Boolean>)
        }
        def results = futures.collect { it.get(60, TimeUnit.SECONDS) }

        then:
        results.every()

        cleanup:
        pool.shutdownNow()
    }
}

