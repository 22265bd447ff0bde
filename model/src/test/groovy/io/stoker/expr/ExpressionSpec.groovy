package io.stoker.expr

import spock.lang.Shared
import spock.lang.Specification

import java.util.concurrent.Callable
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

class ExpressionSpec extends Specification {

    static final Unknown U = Unknown.VALUE

    @Shared
    MapContext context = new MapContext(
            [params : [DEPLOY: 'true', N: 3, D: 2.5d, LIST: ['a', 'b'], EMPTY: '', NO: false, YES: true],
             env    : [HOME: '/home/ci'],
             run    : [branch: 'main', number: 7],
             matrix : [jdk: '17'],
             secrets: [TOKEN: 's3cr3t']],
            [build               : [version: '1.2.3'],
             'test[jdk=17,db=h2]': [x: 'cell'],
             'build-web'         : ['some-key': 'k']])

    static Object eval(String source, EvalContext context) {
        Expressions.parse(source).evaluate(context)
    }

    def "literal #source is #value"() {
        expect:
        eval(source, context) == value

        where:
        source                     | value
        "'abc'"                    | 'abc'
        '"abc"'                    | 'abc'
        "''"                       | ''
        "'it\\'s'"                 | "it's"
        '"say \\"hi\\""'           | 'say "hi"'
        "'a\\\\b'"                 | 'a\\b'
        "'a\\nb\\tc'"              | 'a\nb\tc'
        "'double \" inside'"       | 'double " inside'
        '"single \' inside"'       | "single ' inside"
        '42'                       | 42
        '0.5'                      | 0.5
        '-3.25'                    | -3.25
        '- 7'                      | -7
        'true'                     | true
        'false'                    | false
        'null'                     | null
        "[1, 'a', true, null]"     | [1, 'a', true, null]
        '[]'                       | []
        '[[1], [], [2, [3]]]'      | [[1], [], [2, [3]]]
        '  ( ( 1 ) )  '            | 1
    }

    def "numbers are BigDecimal, whether literal or handed over by the context as #type"() {
        expect:
        eval(source, context) instanceof BigDecimal

        where:
        source     | type
        '42'       | 'literal'
        'params.N' | 'Integer'
        'params.D' | 'Double'
    }

    def "#source reads #value from the context"() {
        expect:
        eval(source, context) == value

        where:
        source                                | value
        'params.N'                            | 3
        "params['N']"                         | 3
        'params.DEPLOY'                       | 'true'
        'env.HOME'                            | '/home/ci'
        'run.branch'                          | 'main'
        'matrix.jdk'                          | '17'
        'secrets.TOKEN'                       | 's3cr3t'
        'outputs.build.version'               | '1.2.3'
        "outputs['build'].version"            | '1.2.3'
        "outputs.build['version']"            | '1.2.3'
        "outputs['test[jdk=17,db=h2]'].x"     | 'cell'
        "outputs['build-web']['some-key']"    | 'k'
        "outputs.build-web['some-key']"       | 'k'
        'params.LIST'                         | ['a', 'b']
        'params.MISSING'                      | null
        'outputs.nope.x'                      | null
    }

    def "keywords are plain names after a dot"() {
        given:
        def ctx = new MapContext([params: [true: 'T', in: 'I', null: 'N']])

        expect:
        eval('params.true', ctx) == 'T'
        eval('params.in', ctx) == 'I'
        eval('params.null', ctx) == 'N'
    }

    def "equality: #source is #result"() {
        expect:
        eval(source, context) == result

        where:
        source                    | result
        '1 == 1'                  | true
        '1 == 1.0'                | true
        '1 == 2'                  | false
        '-0.0 == 0'               | true
        "'1' == 1"                | true
        "1 == '1.0'"              | true
        "'abc' == 1"              | false
        "'' == 0"                 | false
        "'a' == 'a'"              | true
        "'a' == 'A'"              | false
        "true == 'TRUE'"          | true
        "'false' == false"        | true
        "true == 'yes'"           | false
        'true == 1'               | false
        'true == true'            | true
        'true == false'           | false
        'null == null'            | true
        "null == ''"              | false
        'null == false'           | false
        '[1, 2] == [1.0, 2]'      | true
        "['1', 2] == [1, '2']"    | true
        '[1, 2] == [2, 1]'        | false
        '[1] == [1, 1]'           | false
        '[] == []'                | true
        '[1] == 1'                | false
        '1 != 2'                  | true
        "'a' != 'a'"              | false
        'null != null'            | false
        'params.N == 3'           | true
        "params.N == '3'"         | true
        'params.D == 2.5'         | true
        'params.DEPLOY == true'   | true
        'run.branch == "main"'    | true
        "params.LIST == ['a', 'b']" | true
    }

    def "ordering: #source is #result"() {
        expect:
        eval(source, context) == result

        where:
        source            | result
        '1 < 2'           | true
        '2 < 1'           | false
        '2 <= 2'          | true
        '2 <= 1.5'        | false
        '3 >= 2.5'        | true
        '3 > 3'           | false
        '-1 < 0'          | true
        "'abc' < 'abd'"   | true
        "'b' > 'a'"       | true
        "'a' >= 'a'"      | true
        "'10' < '9'"      | true
        "'10' > 9"        | true
        "9 < '10'"        | true
        "'x' < 1"         | false
        "'x' >= 1"        | false
        'true < false'    | false
        'true >= true'    | false
        'null < 1'        | false
        'null <= null'    | false
        '[1] < [2]'       | false
        'params.N > 2'    | true
        'run.number >= 7' | true
    }

    def "truthiness: #source is #truth"() {
        expect:
        eval("!!($source)", context) == truth
        eval("!($source)", context) == !truth

        where:
        source         | truth
        'null'         | false
        'false'        | false
        "''"           | false
        '0'            | false
        '0.0'          | false
        '[]'           | false
        'params.EMPTY' | false
        'params.NO'    | false
        'params.MISSING' | false
        "'0'"          | true
        "'false'"      | true
        "' '"          | true
        '1'            | true
        '-1'           | true
        '0.01'         | true
        '[0]'          | true
        '[null]'       | true
        'true'         | true
        'params.N'     | true
    }

    def "&& and || return booleans, not their operands: #source is #result"() {
        expect:
        eval(source, context).is(result)

        where:
        source         | result
        "'a' && 1"     | Boolean.TRUE
        "'a' && ''"    | Boolean.FALSE
        '1 || null'    | Boolean.TRUE
        "'' || 0"      | Boolean.FALSE
        "null || 'x'"  | Boolean.TRUE
    }

    def "precedence: #source is #result"() {
        expect:
        eval(source, context) == result

        where:
        source                          | result
        'true || false && false'        | true
        'false && true || true'         | true
        '!false && false'               | false
        '!(false && false)'             | true
        "!'x' == true"                  | false
        '1 == 1 in [true]'              | true
        '1 < 2 == true'                 | true
        '2 > 1 == 1 > 0'                | true
        "'a' in ['a'] && false"         | false
        "false || 'b' in params.LIST"   | true
        '(true || false) && false'      | false
        '!!true'                        | true
        '!true || true'                 | true
    }

    def "membership: #source is #result"() {
        expect:
        eval(source, context) == result

        where:
        source                      | result
        "'a' in ['a', 'b']"         | true
        "'c' in ['a', 'b']"         | false
        "1 in ['1', '2']"           | true
        "'2.0' in [1, 2]"           | true
        "true in ['TRUE']"          | true
        "null in [null]"            | true
        "null in [0, '', false]"    | false
        "'a' in []"                 | false
        "[1] in [[1], [2]]"         | true
        "'b' in params.LIST"        | true
        "'z' in params.LIST"        | false
        "'a' in 'abc'"              | false
        "'a' in params.MISSING"     | false
        "run.branch in ['main', 'release']" | true
    }

    def "unknown values follow Kleene logic: #source is #result"() {
        given:
        def dry = MapContext.dryRun([params: [YES: true, NO: false, ONE: 1]])

        expect:
        eval(source, dry) == result

        where:
        source                       | result
        'params.X'                   | U
        'params.NO && params.X'      | false
        'params.X && params.NO'      | false
        'params.YES && params.X'     | U
        'params.X && params.YES'     | U
        'params.X && params.Y'       | U
        'params.YES || params.X'     | true
        'params.X || params.YES'     | true
        'params.NO || params.X'      | U
        'params.X || params.NO'      | U
        '!params.X'                  | U
        '!!params.X'                 | U
        'params.X == 1'              | U
        'params.X != 1'              | U
        'params.X == params.X'       | U
        'params.X < 1'               | U
        '1 >= params.X'              | U
        "params.X in ['a']"          | U
        "'a' in params.X"            | U
        "'a' in [params.X]"          | U
        "'a' in ['a', params.X]"     | true
        "'a' in ['b', params.X]"     | U
        '[params.X] == [1]'          | U
        '[params.X, 1] == [2, 2]'    | false
        'params.ONE == 1 && params.YES' | true
        '(params.X || true) && params.YES' | true
    }

    def "&& and || do not evaluate the right side when the left decides"() {
        given:
        def ctx = new MapContext([params: [YES: true, NO: false]])

        when:
        Expressions.parse(source).evaluate(ctx)

        then:
        ctx.reads == reads

        where:
        source                           | reads
        'params.NO && outputs.a.b'       | ['params.NO']
        'params.YES || outputs.a.b'      | ['params.YES']
        'params.YES && outputs.a.b'      | ['params.YES', 'outputs.a.b']
    }

    def "a condition without status function is success() && its truth: success #success, #source gives #result"() {
        given:
        def ctx = new MapContext([params: [EMPTY: '', X: U, GO: true]], [:], [success: success])

        expect:
        Expressions.parse(source).condition(ctx).is(result)

        where:
        success | source         | result
        true    | 'true'         | Boolean.TRUE
        true    | "'yes'"        | Boolean.TRUE
        true    | 'params.GO'    | Boolean.TRUE
        true    | 'params.EMPTY' | Boolean.FALSE
        true    | 'params.X'     | U
        false   | 'true'         | Boolean.FALSE
        false   | 'params.X'     | Boolean.FALSE
        U       | 'true'         | U
        U       | 'false'        | Boolean.FALSE
        U       | 'params.X'     | U
    }

    def "the implicit success() is asked first, and the value is not read when it is false"() {
        given:
        def ctx = new MapContext([:], [:], [success: false])

        when:
        def result = Expressions.parse('outputs.build.version == "1"').condition(ctx)

        then:
        result == false
        ctx.reads == ['success()']
    }

    def "a condition with a status function is its own truth: #source gives #result"() {
        given:
        def ctx = new MapContext([params: [GO: false, X: U, YES: true]], [:], status)

        expect:
        Expressions.parse(source).condition(ctx).is(result)

        where:
        source                       | status                                             | result
        'always()'                   | [success: false, failure: true]                    | Boolean.TRUE
        'failure()'                  | [success: false, failure: true]                    | Boolean.TRUE
        'failure()'                  | [success: true, failure: false]                    | Boolean.FALSE
        'success()'                  | [success: true, failure: false]                    | Boolean.TRUE
        'cancelled()'                | [cancelled: true]                                  | Boolean.TRUE
        '!cancelled()'               | [cancelled: true]                                  | Boolean.FALSE
        'success() || failure()'     | [success: false, failure: true]                    | Boolean.TRUE
        'always() && params.GO'      | [success: true]                                    | Boolean.FALSE
        'always() && params.YES'     | [success: false]                                   | Boolean.TRUE
        'failure() && params.X'      | [failure: true]                                    | U
        'failure()'                  | [failure: U]                                       | U
        'failure() || params.YES'    | [failure: U]                                       | Boolean.TRUE
    }

    def "always() is true without asking the context"() {
        given:
        def ctx = new MapContext([:], [:], [:])

        when:
        def result = Expressions.parse('always()').condition(ctx)

        then:
        result == true
        ctx.reads == []
    }

    def "#source uses a status function: #uses"() {
        expect:
        Expressions.parse(source).usesStatusFunction() == uses

        where:
        source                            | uses
        'params.A'                        | false
        'true'                            | false
        'always()'                        | true
        'params.A && failure()'           | true
        '!cancelled()'                    | true
        "'success()' == params.A"         | false
    }

    def "#source references #expected"() {
        expect:
        Expressions.parse(source).references() as List == expected

        where:
        source                                         | expected
        '1 == 1'                                       | []
        'params.DEPLOY && run.branch == "main"'        | [ref('params', 'DEPLOY', 0), ref('run', 'branch', 17)]
        "outputs['test[jdk=17,db=h2]'].key == 'x'"     | [new Reference('outputs', 'test[jdk=17,db=h2]', 'key', 0)]
        "'a' in params.LIST"                           | [ref('params', 'LIST', 7)]
        ' !env.CI'                                     | [ref('env', 'CI', 2)]
        "outputs.build-web['some-key'] || secrets.T"   | [new Reference('outputs', 'build-web', 'some-key', 0), ref('secrets', 'T', 33)]
        "success() && matrix.jdk == '17'"              | [ref('matrix', 'jdk', 13)]
        "[params['A'], env.B]"                         | [ref('params', 'A', 1), ref('env', 'B', 14)]
        'params.A == params.A'                         | [ref('params', 'A', 0), ref('params', 'A', 12)]
        "'é😀' == params.X"                            | [ref('params', 'X', 9)]
    }

    def "an expression keeps its source"() {
        expect:
        Expressions.parse(' params.A  == 1 ').source() == ' params.A  == 1 '
        Expressions.parse('params.A').toString() == 'params.A'
    }

    def "one parsed expression evaluates concurrently against different contexts"() {
        given:
        def expression = Expressions.parse("params.N > 10 && 'x' in params.L || outputs.t.k == params.N")
        def pool = Executors.newFixedThreadPool(8)

        when:
        def futures = (0..<8).collect { thread ->
            pool.submit({
                (0..<500).every { i ->
                    def n = thread * 1000 + i
                    def ctx = new MapContext([params: [N: n, L: i % 2 == 0 ? ['x'] : ['y']]], [t: [k: i % 3 == 0 ? n : -1]])
                    def expected = (n > 10 && i % 2 == 0) || i % 3 == 0
                    expression.evaluate(ctx) == expected
                }
            } as Callable<Boolean>)
        }
        def results = futures.collect { it.get(60, TimeUnit.SECONDS) }

        then:
        results.every()

        cleanup:
        pool.shutdownNow()
    }

    def "many threads parse at once and each gets its own tree"() {
        given:
        def pool = Executors.newFixedThreadPool(8)

        when:
        def futures = (0..<8).collect { thread ->
            pool.submit({
                (0..<200).every { i ->
                    def n = thread * 1000 + i
                    def expression = Expressions.parse("params.N == ${n} && '${n}' in [params.N, 'x']")
                    expression.evaluate(new MapContext([params: [N: n]])) == true &&
                            expression.evaluate(new MapContext([params: [N: n + 1]])) == false
                }
            } as Callable<Boolean>)
        }
        def results = futures.collect { it.get(60, TimeUnit.SECONDS) }

        then:
        results.every()

        cleanup:
        pool.shutdownNow()
    }

    static Reference ref(String root, String name, int offset) {
        new Reference(root, name, null, offset)
    }
}
