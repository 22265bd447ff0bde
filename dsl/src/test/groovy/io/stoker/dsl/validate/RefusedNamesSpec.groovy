package io.stoker.dsl.validate

import io.stoker.dsl.CompileResult
import io.stoker.dsl.JobfileCompiler
import spock.lang.Specification

/**
 * A refused job or task name is one problem among others: what is wrong inside that job or task is told in the same
 * pass, each at its own line:col, and what names the refused task (needs, input, outputs) is not told again.
 */
class RefusedNamesSpec extends Specification {

    List<String> diagnostics(String file, String text) {
        def result = new JobfileCompiler().compile(file, text)
        assert result instanceof CompileResult.Rejected
        result.diagnostics()*.toString()
    }

    static final String NAME_RULE = "may only hold ASCII letters (a-z, A-Z), digits, '_', '.' and '-', not"

    def "every refused name of a #syntax Jobfile and what is wrong inside its job or task are told in one pass, in source order"() {
        expect:
        diagnostics(file, text) == expected

        where:
        syntax   | file           | text    || expected
        'JSON'   | 'Jobfile.json' | '''{"jobs": {
  "my job!": {"tasks": {"a/b": {"sh": "make"}, "ok": {"sh": "make", "retry": 99}}},
  "other": {"tasks": {
    "c d": {"sh": "make", "env": {"1X": "v"}},
    "e": {"sh": "make", "needs": ["c d", "nope"]}
  }}
}}
''' || ["Jobfile.json:2:3: job name 'my job!' $NAME_RULE a space",
        "Jobfile.json:2:25: task name 'a/b' $NAME_RULE '/'",
        "Jobfile.json:2:78: retry of task 'ok' must be between 0 and 10, got 99",
        "Jobfile.json:4:5: task name 'c d' $NAME_RULE a space",
        "Jobfile.json:4:41: environment variable name '1X' must start with a letter or '_' and hold only letters, digits and '_'",
        "Jobfile.json:5:42: unknown task 'nope' in needs"]
        'YAML'   | 'Jobfile.yaml' | '''jobs:
  my job!:
    tasks:
      a/b: {sh: make}
      ok: {sh: make, retry: 99}
  other:
    tasks:
      c d: {sh: make, env: {1X: v}}
      e: {sh: make, needs: [c d, nope]}
''' || ["Jobfile.yaml:2:3: job name 'my job!' $NAME_RULE a space",
        "Jobfile.yaml:4:7: task name 'a/b' $NAME_RULE '/'",
        "Jobfile.yaml:5:29: retry of task 'ok' must be between 0 and 10, got 99",
        "Jobfile.yaml:8:7: task name 'c d' $NAME_RULE a space",
        "Jobfile.yaml:8:33: environment variable name '1X' must start with a letter or '_' and hold only letters, digits and '_'",
        "Jobfile.yaml:9:34: unknown task 'nope' in needs"]
        'Groovy' | 'Jobfile'      | '''job('my job!') {
  task('a/b') { sh 'make' }
  task('ok') { sh 'make'; retry 99 }
}
job('other') {
  task('c d') { sh 'make'; env '1X': 'v' }
  task('e') { sh 'make'; needs 'c d', 'nope' }
}
''' || ["Jobfile:1:1: job name 'my job!' $NAME_RULE a space",
        "Jobfile:2:3: task name 'a/b' $NAME_RULE '/'",
        "Jobfile:3:27: retry of task 'ok' must be between 0 and 10, got 99",
        "Jobfile:6:3: task name 'c d' $NAME_RULE a space",
        "Jobfile:6:28: environment variable name '1X' must start with a letter or '_' and hold only letters, digits and '_'",
        "Jobfile:7:26: unknown task 'nope' in needs"]
    }

    def "a need, a pipe and an outputs read of a task whose name was refused add nothing to the name's own error"() {
        expect:
        diagnostics('Jobfile.yaml', '''jobs:
  j:
    tasks:
      a/b: {sh: echo v=1 >> $STOKER_OUTPUT}
      c:
        needs: [a/b]
        sh: "echo ${{ outputs['a/b'].v }}"
      d: {input: a/b, sh: cat}
''') == ["Jobfile.yaml:4:7: task name 'a/b' $NAME_RULE '/'"]
    }

    def "a task whose name is taken is checked too, and its needs must name tasks"() {
        expect:
        diagnostics('Jobfile', '''job('j') {
  task('x') { sh 'a' }
  task('x') { needs 'nope'; sh 'b'; retry 11 }
}
''') == ["Jobfile:3:3: duplicate task 'x' (first defined at line 2)",
         "Jobfile:3:15: unknown task 'nope' in needs",
         "Jobfile:3:37: retry of task 'x' must be between 0 and 10, got 11"]
    }

    def "a job and a task written twice in #syntax are told once each as a duplicate key, and what is wrong inside the second is told too"() {
        expect:
        diagnostics(file, text) == expected

        where:
        syntax | file           | text    || expected
        'YAML' | 'Jobfile.yaml' | '''jobs:
  j:
    tasks:
      x: {sh: a}
      x: {sh: b, retry: 11}
  j:
    tasks:
      t: {sh: c, needs: [nope]}
''' || ["Jobfile.yaml:5:7: duplicate key 'x' (first at line 4)",
        "Jobfile.yaml:5:25: retry of task 'x' must be between 0 and 10, got 11",
        "Jobfile.yaml:6:3: duplicate key 'j' (first at line 2)",
        "Jobfile.yaml:8:26: unknown task 'nope' in needs"]
        'JSON' | 'Jobfile.json' | '''{"jobs": {
  "j": {"tasks": {"x": {"sh": "a"}, "x": {"sh": "b", "retry": 11}}},
  "j": {"tasks": {"t": {"sh": "c", "needs": ["nope"]}}}
}}
''' || ["Jobfile.json:2:37: duplicate key 'x' (first at line 2)",
        "Jobfile.json:2:63: retry of task 'x' must be between 0 and 10, got 11",
        "Jobfile.json:3:3: duplicate key 'j' (first at line 2)",
        "Jobfile.json:3:46: unknown task 'nope' in needs"]
    }

    def "a parameter read only inside a task whose name was refused is not told unused"() {
        expect:
        diagnostics('Jobfile.yaml', '''jobs:
  j:
    parameters: [{name: WHO, defaultValue: me}]
    tasks:
      a/b: {sh: 'echo "$W"', env: {W: '${{ params.WHO }}'}}
''') == ["Jobfile.yaml:5:7: task name 'a/b' $NAME_RULE '/'"]
    }

    def "a job or task name with a control character keeps what is inside it for after the name is mended"() {
        expect: 'the name is told escaped, and no other message quotes it raw'
        diagnostics('Jobfile.json', '{"jobs": {"a\\u001bb": {"tasks": {"t": {"sh": "x", "retry": 99}}},\n' +
                ' "j": {"tasks": {"c\\u001bd": {"sh": "x", "retry": 99}}}}}') ==
                ["Jobfile.json:1:11: job name 'a\\u001bb' $NAME_RULE '\\u001b'",
                 "Jobfile.json:2:18: task name 'c\\u001bd' $NAME_RULE '\\u001b'"]
    }
}
