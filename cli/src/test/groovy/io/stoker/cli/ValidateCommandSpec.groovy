package io.stoker.cli

import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

class ValidateCommandSpec extends Specification {

    @TempDir
    Path dir

    def "a valid Jobfile is reported as OK with its job and task counts"() {
        given:
        dir.resolve('Jobfile').text = '''
job('a') { task('one') { sh 'true' }; task('two') { needs 'one'; sh 'true' } }
job('b') { task('m') { matrix x: ['1', '2']; sh 'true' } }
'''
        when:
        def r = CliRun.of('validate', dir.resolve('Jobfile'))

        then:
        r.exit == 0
        r.out == 'OK: 2 jobs, 4 tasks\n'
    }

    def "a Jobfile with a byte that is not UTF-8 (a Latin-1 comment) is read as the server reads it"() {
        given:
        def bytes = new ByteArrayOutputStream()
        bytes.write('// M'.bytes)
        bytes.write(0xfc) // ü in Latin-1
        bytes.write("ller\njob('a') { task('t') { sh 'true' } }\n".bytes)
        dir.resolve('Jobfile').bytes = bytes.toByteArray()

        when:
        def r = CliRun.of('validate', dir.resolve('Jobfile'))

        then:
        r.exit == 0
        r.out == 'OK: 1 job, 1 task\n'
        r.err.startsWith("${dir.resolve('Jobfile')}:1:5: warning: a byte that is not UTF-8 is read as '\uFFFD' here")
    }

    def "every problem is printed as file:line:col with a suggestion, and the exit code is 2"() {
        given:
        def file = dir.resolve('Jobfile')
        file.text = '''job('web') {
  task('build') { sh 'make' }
  task('test')  { needs 'biuld'; sh 'make test' }
  task('x')     { needs 'y'; sh 'true' }
  task('y')     { needs 'x'; sh 'true' }
}
'''
        when:
        def r = CliRun.of('validate', file)

        then:
        r.exit == 2
        r.err.contains("${file}:3:19: unknown task 'biuld' in needs — did you mean 'build'?")
        r.err.contains('cycle: ')
        r.err.readLines().last() ==~ /stoker: .*Jobfile is invalid: \d+ errors/
        r.out.isEmpty()
    }

    def "a JSON Jobfile with several bad names lists every one, and what is wrong inside them, at its line:col in one run"() {
        given:
        def file = dir.resolve('Jobfile.json')
        file.text = '''{"jobs": {
  "my job!": {"tasks": {"build": {"sh": "make", "retry": 99}}},
  "other": {"tasks": {
    "a/b": {"sh": "make"},
    "c": {"sh": "make", "needs": ["a/b"]},
    "x": {"sh": "one"},
    "x": {"sh": "two", "timeout": "soon"}
  }}
}}
'''
        when:
        def r = CliRun.of('validate', file)

        then: 'no follow-on error for the needs that names the refused task'
        r.exit == 2
        r.err.readLines() == [
                "${file}:2:3: job name 'my job!' may only hold ASCII letters (a-z, A-Z), digits, '_', '.' and '-', not a space",
                "${file}:2:58: retry of task 'build' must be between 0 and 10, got 99",
                "${file}:4:5: task name 'a/b' may only hold ASCII letters (a-z, A-Z), digits, '_', '.' and '-', not '/'",
                "${file}:7:5: duplicate key 'x' (first at line 6)",
                "${file}:7:35: timeout 'soon' must be a duration like 30m, 1h30m or 90s, or a map like {minutes: 30}",
                "stoker: ${file} is invalid: 5 errors"]*.toString()
        r.out.isEmpty()
    }

    def "a schedule the server would refuse is refused here too, at its line:col and in the server's words"() {
        given:
        def file = dir.resolve('Jobfile')
        file.text = "job('j') {\n  triggers { cron 'H 25 * * *' }\n  task('t') { sh 'true' }\n}\n"

        when:
        def r = CliRun.of('validate', file)

        then: 'the same line as TriggersSpec expects from POST /projects'
        r.exit == 2
        r.err.contains("${file}:2:14: cron 'H 25 * * *': hour: 25 is out of range 0-23")
    }

    def "validate finds the Jobfile in a directory, YAML included"() {
        given:
        dir.resolve('Jobfile.yaml').text = 'jobs:\n  j:\n    tasks:\n      t: {sh: "true"}\n'

        expect:
        CliRun.of('validate', dir).out == 'OK: 1 job, 1 task\n'
    }

    def "a directory holding a Jobfile and a Jobfile.yaml reads the Jobfile and warns that the other is not read"() {
        given:
        dir.resolve('Jobfile').text = "job('g') { task('t') { sh 'true' } }\n"
        dir.resolve('Jobfile.yaml').text = 'jobs:\n  y:\n    tasks:\n      t: {sh: "true"}\n'

        when:
        def inDirectory = CliRun.of('validate', dir)
        def named = CliRun.of('validate', dir.resolve('Jobfile.yaml'))

        then:
        inDirectory.exit == 0
        inDirectory.err == "${dir.resolve('Jobfile.yaml')}: warning: not read: ${dir.resolve('Jobfile')} is read first" +
                " (Jobfile, Jobfile.yaml, Jobfile.yml, Jobfile.json, in that order); remove the one you do not use\n"
        named.exit == 0
        named.err == ''
    }

    def "a Jobfile read from a pipe (stoker validate <(git show HEAD:Jobfile)) is validated like a file"() {
        given: "a named pipe a writer fills, as the shell's process substitution does"
        Path fifo = dir.resolve('jobfile.pipe')
        def made = new ProcessBuilder('mkfifo', fifo.toString()).start()
        assert made.waitFor() == 0
        def writer = Thread.startDaemon { fifo.text = "job('a') { task('t') { sh 'true' } }\n" }

        when:
        def r = CliRun.of('validate', fifo)
        writer.join(10_000)

        then:
        r.exit == 0
        r.out == 'OK: 1 job, 1 task\n'
    }

    /** The CLI run with {@code input} as its standard input, as a shell pipe gives it. */
    static CliRun withStdin(String input, Object... args) {
        InputStream before = System.in
        System.in = new ByteArrayInputStream(input.getBytes('UTF-8'))
        try {
            CliRun.of(args)
        } finally {
            System.in = before
        }
    }

    def "validate - reads the Jobfile from stdin, its syntax told by its start: #syntax"() {
        when:
        def r = withStdin(text, 'validate', '-')

        then:
        r.exit == 0
        r.out == 'OK: 1 job, 2 tasks\n'

        where:
        syntax   | text
        'Groovy' | "job('a') { task('one') { sh 'true' }; task('two') { needs 'one'; sh 'true' } }\n"
        'YAML'   | 'jobs:\n  a:\n    tasks:\n      one: {sh: "true"}\n      two: {needs: [one], sh: "true"}\n'
        'JSON'   | '{"jobs": {"a": {"tasks": {"one": {"sh": "true"}, "two": {"needs": ["one"], "sh": "true"}}}}}\n'
    }

    def "a Jobfile on stdin with a problem names it at stdin:LINE:COL, the line and column as in the text"() {
        when:
        def groovy = withStdin("job('web') {\n  task('build') { sh 'make' }\n  task('test')  { needs 'biuld'; sh 'make test' }\n}\n",
                'validate', '-')
        def yaml = withStdin('jobs:\n  web:\n    tasks:\n      build: {sh: make}\n      test: {needs: [biuld], sh: make test}\n',
                'validate', '-')

        then:
        groovy.exit == 2
        groovy.err.contains("stdin:3:19: unknown task 'biuld' in needs — did you mean 'build'?")
        groovy.err.readLines().last() == 'stoker: stdin is invalid: 1 error'
        yaml.exit == 2
        yaml.err.readLines().any { it.startsWith('stdin.yaml:5:') && it.contains("unknown task 'biuld'") }
    }

    def "a directory named Jobfile is said to be why no Jobfile was found"() {
        given:
        Files.createDirectories(dir.resolve('Jobfile'))

        expect:
        with(CliRun.of('validate', dir)) {
            exit == 2
            err.readLines() == ["stoker: no Jobfile, Jobfile.yaml, Jobfile.yml or Jobfile.json in $dir ($dir/Jobfile is a directory)".toString()]
        }
    }

    def "a missing file or a directory without a Jobfile is a one-line error with exit 2"() {
        expect:
        with(CliRun.of('validate', dir.resolve('nope'))) {
            exit == 2
            err.trim() == "stoker: no such file: ${dir.resolve('nope')}"
        }
        with(CliRun.of('validate', dir)) {
            exit == 2
            err.trim().startsWith('stoker: no Jobfile, Jobfile.yaml, Jobfile.yml or Jobfile.json in')
        }
    }

    def "an unknown option is a usage error with exit 2"() {
        when:
        def r = CliRun.of('validate', '--frobnicate')

        then:
        r.exit == 2
        r.err.contains("unknown option '--frobnicate'")
    }
}
