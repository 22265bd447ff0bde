package io.stoker.expr

import spock.lang.Specification

class ExpressionErrorSpec extends Specification {

    def "#source fails with \"#message\" at #offset"() {
        when:
        Expressions.parse(source)

        then:
        def e = thrown(ExpressionException)
        e.message == message
        e.offset() == offset
        !e.message.contains('\n')

        where:
        source                     | offset | message
        ''                         | 0      | 'empty expression'
        '   '                      | 0      | 'empty expression'
        'params.A &&'              | 11     | "expected an expression after '&&'"
        'params.A &&   '           | 11     | "expected an expression after '&&'"
        'params.A && && params.B'  | 12     | "expected an expression after '&&'"
        '(params.A || )'           | 13     | "expected an expression after '||'"
        'params.A =='              | 11     | "expected an expression after '=='"
        'params.A <= )'            | 12     | "unexpected ')'"
        '!'                        | 1      | "expected an expression after '!'"
        "'a' in"                   | 6      | "expected an expression after 'in'"
        '(params.A'                | 0      | "unclosed '('"
        '((params.A)'              | 0      | "unclosed '('"
        'params.A)'                | 8      | "unexpected ')'"
        ')'                        | 0      | "unexpected ')'"
        '[1, 2'                    | 0      | "unclosed '['"
        '(1]'                      | 2      | "expected ')' to close '(', found ']'"
        '[1,]'                     | 3      | "expected an expression after ','"
        '()'                       | 1      | "expected an expression after '('"
        "'abc"                     | 0      | 'unclosed string'
        'params.A == "abc'         | 12     | 'unclosed string'
        "'it\\'s"                  | 0      | 'unclosed string'
        "'a\\qb'"                  | 2      | "unknown escape '\\q' in string: use \\' \\\" \\\\ \\n or \\t"
        "'a\\"                     | 2      | "unknown escape '\\' in string: use \\' \\\" \\\\ \\n or \\t"
        'params.A = 1'             | 9      | "unexpected '=': use '==' to compare"
        'params.A & params.B'      | 9      | "unexpected '&': use '&&'"
        'params.A | params.B'      | 9      | "unexpected '|': use '||'"
        'params.A # x'             | 9      | "unexpected character '#'"
        '😀'                       | 0      | "unexpected character '😀'"
        "'😀' == #"                | 8      | "unexpected character '#'"
        'foo'                      | 0      | "unknown name 'foo': use params., env., outputs., run., matrix. or secrets."
        'true && foo.bar'          | 8      | "unknown name 'foo': use params., env., outputs., run., matrix. or secrets."
        'Params.X'                 | 0      | "unknown name 'Params': use params., env., outputs., run., matrix. or secrets."
        'success'                  | 0      | "'success' is a function: write success()"
        'deploy()'                 | 0      | "unknown function 'deploy()': use success(), failure(), always() or cancelled()"
        'params.A && skipped()'    | 12     | "unknown function 'skipped()': use success(), failure(), always() or cancelled()"
        "success('x')"             | 8      | 'success() takes no arguments'
        'params'                   | 0      | 'params needs a name, like params.X'
        'env == 1'                 | 0      | 'env needs a name, like env.X'
        'params.A.B'               | 8      | 'too many names: params takes one name, like params.X'
        'outputs'                  | 0      | 'outputs needs a task and a key, like outputs.build.version'
        'outputs.build'            | 0      | 'outputs needs a task and a key, like outputs.build.version'
        "outputs['test[jdk=17]']"  | 0      | 'outputs needs a task and a key, like outputs.build.version'
        'outputs.a.b.c'            | 11     | 'too many names: outputs takes a task and a key, like outputs.build.version'
        "params['']"               | 6      | 'empty name in [ ]'
        'params[1]'                | 7      | "expected a quoted name in [ ], like outputs['build'].version"
        'params[params.A]'         | 7      | "expected a quoted name in [ ], like outputs['build'].version"
        'params.'                  | 7      | "expected a name after '.'"
        'params.A == params.'      | 19     | "expected a name after '.'"
        'params..A'                | 7      | "expected a name after '.'"
        'params.A params.B'        | 9      | "expected an operator before 'params'"
        "params.A 'x'"             | 9      | "expected an operator before 'x'"
        '1 2'                      | 2      | "expected an operator before '2'"
        '- params.A'               | 2      | "'-' must be followed by a number"
        '1.'                       | 1      | "unexpected '.'"
        'true.x'                   | 4      | "unexpected '.'"
        '== 1'                     | 0      | "unexpected '=='"
        '1 in in'                  | 5      | "expected an expression after 'in'"
    }

    def "a long token is cut in the message so it stays one short line"() {
        when:
        Expressions.parse("params.A ${'x' * 200}")

        then:
        def e = thrown(ExpressionException)
        e.message == "expected an operator before '${'x' * 27}...'"
        e.offset() == 9
    }

    def "bad input never prints to the console"() {
        given:
        def err = new ByteArrayOutputStream()
        def out = new ByteArrayOutputStream()
        def oldErr = System.err
        def oldOut = System.out
        System.setErr(new PrintStream(err, true))
        System.setOut(new PrintStream(out, true))

        when:
        ['params.A &&', '(1]', "'abc", 'foo', 'a # b', '1 2', 'params[1]'].each { source ->
            try {
                Expressions.parse(source)
            } catch (ExpressionException ignored) {
            }
        }

        then:
        err.size() == 0
        out.size() == 0

        cleanup:
        System.setErr(oldErr)
        System.setOut(oldOut)
    }

    def "random token soup either parses or fails with an ExpressionException inside the source"() {
        given:
        def pieces = ['params.A', 'outputs.b.c', "outputs['x[y=1]'].k", '&&', '||', '!', '==', '!=', '<', '>=', 'in',
                      '(', ')', '[', ']', ',', '.', '-', "'s'", '"t', "'u\\", '1', '2.5', 'true', 'null', 'foo',
                      'success()', 'always(', 'x(', '=', '&', '#', ' ', '😀', '\n', '\\', '${{', '}}']
        def random = new Random(20261122)
        def unexpected = []
        int parsed = 0

        when:
        2000.times {
            def source = (1..random.nextInt(1, 9)).collect { pieces[random.nextInt(pieces.size())] }.join(' ')
            try {
                Expressions.parse(source)
                parsed++
            } catch (ExpressionException e) {
                if (e.offset() < 0 || e.offset() > source.length() || e.message.contains('\n')) {
                    unexpected << "${source} -> ${e.offset()} ${e.message}"
                }
            } catch (Throwable t) {
                unexpected << "${source} -> ${t}"
            }
        }

        then:
        unexpected == []
        parsed > 0
    }
}
