package io.stoker.cli

import com.fasterxml.jackson.databind.ObjectMapper
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path

class GraphCommandSpec extends Specification {

    @TempDir
    Path dir

    Path jobfile

    def setup() {
        jobfile = dir.resolve('Jobfile')
        jobfile.text = '''job('web') {
  description 'the site'
  task('gen')     { sh 'seq 1 10' }
  task('sum')     { input from: 'gen'; sh 'awk 1' }
  task('version') { sh 'true' }
  task('build')   { needs 'version'; sh 'true'; artifacts 'dist/**' }
  task('deploy')  { needs 'build', 'sum'; when 'always()'; sh 'true' }
}
'''
    }

    def "the text tree draws each task once under the first task it waits for"() {
        when:
        def r = CliRun.of('graph', jobfile)

        then:
        r.exit == 0
        r.out == '''job web — the site (5 tasks)
├── gen
│   └─| sum  [stdin ← gen]
│       └── deploy  [needs build; when always()]
└── version
    └── build  [artifacts dist/**]
        └── deploy  (see above)
'''
    }

    def "graph - reads the Jobfile from stdin and draws it as it draws a file"() {
        when:
        def piped = ValidateCommandSpec.withStdin(jobfile.text, 'graph', '-', '--format', 'json')

        then:
        piped.exit == 0
        piped.out == CliRun.of('graph', jobfile, '--format', 'json').out
    }

    def "a long chain is drawn in sections no wider than 16 levels, each going on below the last"() {
        given: 'a chain of 40 tasks, each needing the one before'
        jobfile.text = "job('chain') {\n" + (1..40).collect { n ->
            "  task('t$n') { ${n > 1 ? "needs 't${n - 1}'; " : ''}sh 'true' }\n"
        }.join('') + '}\n'

        when:
        def r = CliRun.of('graph', jobfile)
        def lines = r.out.readLines()

        then: 'no line is wider than 16 levels of 4 columns and a name'
        r.exit == 0
        lines.every { it.length() <= 16 * 4 + 30 }

        and: 'the chain breaks after t16 and t32, each going on under its name'
        lines.findAll { it.endsWith('(continued below)') }*.trim() == ['└── t16  (continued below)', '└── t32  (continued below)']
        lines.findAll { it.endsWith(', continued') } == ['t16, continued', 't32, continued']
        lines[lines.indexOf('t16, continued') + 1] == '└── t17'
        lines.last().trim() == '└── t40'

        and: 'every task is drawn once'
        (1..40).every { n -> lines.count { it ==~ /.*── t$n(\s.*)?/ } == 1 }
    }

    def "the text tree names a task's approval gate"() {
        given:
        jobfile.text = "job('rel') {\n  task('build') { sh 'true' }\n  task('ship') { needs 'build'; approval 'Ship it?'; sh 'true' }\n}\n"

        when:
        def r = CliRun.of('graph', jobfile)

        then:
        r.exit == 0
        r.out.readLines().contains("    └── ship  [approval 'Ship it?']")
    }

    def "the text tree and the json name a task allowed to fail"() {
        given:
        jobfile.text = "job('ci') {\n  task('lint') { allowFailure true; sh 'true' }\n  task('build') { needs 'lint'; sh 'true' }\n}\n"

        when:
        def text = CliRun.of('graph', jobfile)
        def json = new ObjectMapper().readValue(CliRun.of('graph', jobfile, '-f', 'json').out, Map)

        then:
        text.exit == 0
        text.out.readLines().contains('└── lint  [allowed to fail]')
        json.tasks.find { it.name == 'lint' }.allowFailure == true
        !json.tasks.find { it.name == 'build' }.containsKey('allowFailure')
    }

    def "dot output has an edge per need and a bold edge per pipe"() {
        when:
        def r = CliRun.of('graph', jobfile, '--format', 'dot')

        then:
        r.exit == 0
        r.out.startsWith('digraph "web" {')
        r.out.contains('"version" -> "build";')
        r.out.contains('"build" -> "deploy";')
        r.out.contains('"gen" -> "sum" [style=bold')
    }

    def "json output lists tasks and typed edges"() {
        when:
        def r = CliRun.of('graph', jobfile, '-f', 'json')
        def graph = new ObjectMapper().readValue(r.out, Map)

        then:
        r.exit == 0
        graph.job == 'web'
        graph.tasks*.name == ['gen', 'sum', 'version', 'build', 'deploy']
        graph.edges.contains([from: 'gen', to: 'sum', kind: 'pipe'])
        graph.edges.contains([from: 'sum', to: 'deploy', kind: 'needs'])
    }

    def "json output is the same bytes every time: keys in a fixed order, edges in task order"() {
        given: 'a job with a pipe, two needs and an approval (whose keys a Map.of ordered anew in each JVM)'
        Path small = dir.resolve('Small.groovy')
        small.text = '''job('small') {
  task('gen')  { sh 'seq 3' }
  task('sum')  { input from: 'gen'; sh 'awk 1' }
  task('ship') { needs 'sum', 'gen'; approval 'Ship?', approvers: ['alice'], timeout: '1h'; sh 'true' }
}
'''

        when:
        def outputs = (1..3).collect { CliRun.of('graph', small, '-f', 'json') }

        then:
        outputs.every { it.exit == 0 }
        outputs*.out.toSet().size() == 1
        outputs[0].out == '''{
  "job" : "small",
  "description" : "",
  "parameters" : [ ],
  "tasks" : [ {
    "name" : "gen",
    "needs" : [ ],
    "input" : null,
    "when" : null,
    "steps" : 1,
    "retry" : 0,
    "timeoutMillis" : 0,
    "artifacts" : [ ]
  }, {
    "name" : "sum",
    "needs" : [ ],
    "input" : "gen",
    "when" : null,
    "steps" : 1,
    "retry" : 0,
    "timeoutMillis" : 0,
    "artifacts" : [ ]
  }, {
    "name" : "ship",
    "needs" : [ "sum", "gen" ],
    "input" : null,
    "when" : null,
    "steps" : 1,
    "retry" : 0,
    "timeoutMillis" : 0,
    "artifacts" : [ ],
    "approval" : {
      "question" : "Ship?",
      "approvers" : [ "alice" ],
      "timeoutMillis" : 3600000
    }
  } ],
  "edges" : [ {
    "from" : "gen",
    "to" : "sum",
    "kind" : "pipe"
  }, {
    "from" : "sum",
    "to" : "ship",
    "kind" : "needs"
  }, {
    "from" : "gen",
    "to" : "ship",
    "kind" : "needs"
  } ]
}
'''
    }

    def "an unknown format or job is refused with exit 2"() {
        expect:
        CliRun.of('graph', jobfile, '--format', 'svg').exit == 2
        with(CliRun.of('graph', jobfile, '--job', 'nope')) {
            exit == 2
            err.contains("no job 'nope'")
            err.contains('(it has web)')
        }
    }
}
