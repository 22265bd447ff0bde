package io.stoker.dsl.groovy

import spock.lang.Specification

class GroovyScratchSpec extends Specification {
    def "scratch"() {
        given:
        def fe = new GroovyFrontend()
        def snippets = [
'''job('web') {
  description 'Build the site'
  parameters {
    string 'NAME', defaultValue: 'world', description: 'who to greet'
    choice 'ENV', choices: ['staging', 'prod'], description: '...'
    bool   'DEPLOY', defaultValue: false
  }
  env GREETING: 'hi'
  secrets 'NPM_TOKEN', 'OTHER'
  env NPM_TOKEN: secret('NPM_TOKEN')
  timeout minutes: 30
  agent 'linux && tool:docker'
  concurrency 1
  retryOnRestart true
  triggers {
    push branches: ['main', 'release/*']
    cron 'H 2 * * *'
    poll 'H/5 * * * *'
    after 'other-job', parameters: [X: 'y']
  }
  task('gen')   { sh 'seq 1 100000' }
  task('sum')   { input from: 'gen'; sh 'awk ...' }
  task('build') {
    needs 'version'
    sh 'step one'; sh 'step two'
    artifacts 'dist/**', 'reports/*.xml'
    retry 2
    timeout seconds: 60
    when 'params.DEPLOY && run.branch == "main"'
    agent 'linux'
    env K: 'v'; secrets 'X'
    matrix jdk: ['17', '21'], db: ['h2', 'pg']
  }
  ['a','b'].each { n -> task("t-$n") { sh "echo $n"; needs "x-${n}" } }
}
''',
"job('a') { task('b') { neeeds 'x' } }",
"job('a') { taks('b') { sh 'x' } }",
"job('a') { task('b') { retry 'two' } }",
"job('a') { task('b') { sh \"echo \${{ params.X }}\" } }",
"job('a') { task('b') { sh 'x' ",
"'id'.execute()",
"System.exit(1)",
"new File('/tmp/x').text = 'x'",
"def s = 'x'; s.class.forName('java.lang.Runtime')",
"@Grab('a:b:1') import foo.Bar\njob('a'){}",
"while (true) {}",
"def f; f = { n -> f(n + 1) }; f(0)",
"Thread.start { }",
"def m = 'id'.&execute",
"println 'hi'",
"def x = [a: 1]; job(x.a.toString()) {}",
'''job('a') { 2.times { i -> task("t$i") { sh 'x' } } }''',
"def s = 'x'; 40.times { s = s + s }",
"(1..5).join(',')",
"String.metaClass.foo = { 1 }",
"def c = String",
]
        expect:
        snippets.each { s ->
            long t0 = System.nanoTime()
            def d = fe.read('Jobfile', s)
            long ms = (System.nanoTime() - t0) / 1_000_000
            println "=== ${s.readLines()[0]} (${ms} ms)"
            d.diagnostics.each { println "   $it" }
            d.jobs.each { j -> println "   job ${j.name}@${j.pos} tasks=${j.tasks.collect { "${it.name}@${it.pos} steps=${it.steps} needs=${it.needs}" }}" }
        }
        true
    }
}
