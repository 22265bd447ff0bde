package io.stoker.cli

import org.eclipse.jgit.api.Git
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

class RunCommandSpec extends Specification {

    @TempDir
    Path project

    @TempDir
    Path data

    private CliRun run(String jobfile, Object... args) {
        project.resolve('Jobfile').text = jobfile
        CliRun.of(['run', project.resolve('Jobfile'), '--data-dir', data, *args] as Object[])
    }

    def "a successful run prints each task's output prefixed with its name and exits 0"() {
        when:
        def r = run('''job('hello') {
  task('greet') { sh 'echo hello from greet' }
  task('after') { needs 'greet'; sh 'echo after greet >&2' }
}''')

        then:
        r.exit == 0
        r.out.contains('▶ greet started')
        r.out.readLines().any { it ==~ /greet +│ hello from greet/ }
        r.out.readLines().any { it ==~ /after +│ after greet/ }
        r.out.readLines().last() ==~ /run hello-1 succeeded in (\d+ms|\d+\.\ds|\d+m\d+s): 2 succeeded — .*hello-1/
        r.out.indexOf('hello from greet') < r.out.indexOf('✔ greet')
    }

    def "a task allowed to fail is shown as failed (allowed to fail), the run succeeds and the command exits 0"() {
        when:
        def r = run('''job('ci') {
  task('lint')  { allowFailure true; sh 'echo three problems; exit 3' }
  task('build') { needs 'lint'; sh 'echo built' }
}''')

        then:
        r.exit == 0
        r.out.readLines().any { it ==~ /✘ lint +failed \(exit 3\) \(allowed to fail\).*/ }
        r.out.readLines().any { it ==~ /build +│ built/ }
        r.out.readLines().last() ==~ /run ci-1 succeeded in \S+: 1 succeeded, 1 failed \(allowed to fail\) — .*ci-1/
    }

    def "the same task not allowed to fail fails the run and the command exits 1"() {
        when:
        def r = run('''job('ci') {
  task('lint')  { sh 'exit 3' }
  task('build') { needs 'lint'; sh 'echo built' }
}''')

        then:
        r.exit == 1
        !r.out.contains('allowed to fail')
        r.out.readLines().last() ==~ /run ci-1 failed \(failed: lint\) in \S+: 1 failed, 1 skipped — .*ci-1/
    }

    static final String GATED = '''job('release') {
  task('build') { sh 'echo built' }
  task('ship')  { needs 'build'; approval 'Ship it?'; sh 'echo shipped' }
  task('tag')   { needs 'build'; approval 'Tag it?'; sh 'echo tagged' }
}'''

    def "a local run's gates are approved up front with --approve, the others rejected saying how"() {
        when:
        def r = run(GATED, '--approve', 'ship')

        then: 'ship ran in your name; tag was rejected and the run failed'
        r.exit == 1
        r.out.readLines().any { it ==~ /ship +│ shipped/ }
        !r.out.contains('tagged')
        r.out.contains('nobody can approve in a local run: pass --approve tag (or --approve-all) to approve it as you run it')
    }

    def "--approve-all approves every gate of a local run"() {
        when:
        def r = run(GATED, '--approve-all')

        then:
        r.exit == 0
        r.out.readLines().any { it ==~ /ship +│ shipped/ }
        r.out.readLines().any { it ==~ /tag +│ tagged/ }
    }

    def "--dry-run shows each approval gate: what it asks, of whom, and how a local run passes it"() {
        when:
        def r = run(GATED.replace("approval 'Tag it?'", "approval 'Tag it?', approvers: ['release']"), '--dry-run')

        then:
        r.exit == 0
        r.out.contains("waits for approval: 'Ship it?' (anyone who may change the run; locally: --approve ship)")
        r.out.contains("waits for approval: 'Tag it?' (by release, or an admin; locally: --approve tag)")
    }

    def "an --approve naming no gated task is refused before anything runs"() {
        when:
        def r = run(GATED, '--approve', 'build')

        then:
        r.exit == 2
        r.err.trim() == "stoker: --approve build: job 'release' has no task 'build' with an approval gate (gated: ship, tag)"
        !r.out.contains('built')
    }

    def "a task's end says each thing once: its exit code, or the time it was given"() {
        when:
        def r = run('''job('ends') {
  task('a') { sh 'exit 3' }
  task('t') { timeout seconds: 1; sh 'sleep 30' }
}''')

        then:
        r.exit == 1
        r.out.readLines().any { it ==~ /✘ a +failed \(exit 3\) in (\d+ms|\d+\.\ds|\d+m\d+s)/ }
        !r.out.readLines().any { it.startsWith('✘ a') && it.contains('exit code 3') }
        r.out.readLines().any { it ==~ /t +│ \[stoker\] timedout: attempt timed out after 1\.0s/ }
        !r.out.contains('after 1.0s after')
    }

    def "a pipe reader failed by its writer says why, not that its own exit 0 failed it"() {
        when:
        def r = run('''job('pipe') {
  task('w') { sh 'echo partial; exit 3' }
  task('r') { input from: 'w'; sh 'cat' }
}''')

        then: 'the writer\'s line gives its exit code; the reader\'s, whose own process exited 0, gives the reason'
        r.exit == 1
        r.out.readLines().any { it ==~ /✘ w +failed \(exit 3\) in .*/ }
        r.out.readLines().any { it ==~ /✘ r +failed: pipe writer 'w' failed \(exit code 3\) in .*/ }
        !r.out.contains('(exit 0)')
    }

    def "a quick retry reads in order: the failed attempt, the log's attempt line, then the next attempt's output"() {
        given: 'a task that fails its first attempt at once and succeeds the second'
        def jobfile = """job('flaky') {
  task('t') { retry 2; sh 'if [ -f once ]; then echo second try; else touch once; echo first try; exit 1; fi' }
}"""

        when:
        def shown = run(jobfile).out.readLines()
        def quiet = run(jobfile, '--quiet').out.readLines()

        then: 'with the output shown, the log says each attempt in its place and no retry mark comes after it'
        def attempt2 = shown.findIndexOf { it ==~ /t +│ \[stoker\] attempt 2 of 3/ }
        shown.findIndexOf { it ==~ /t +│ first try/ } < attempt2
        attempt2 < shown.findIndexOf { it ==~ /t +│ second try/ }
        !shown.any { it.startsWith('↻') }
        shown.any { it ==~ /✔ t +succeeded.*/ }

        and: 'without output, the retry mark is the only sign of it'
        quiet.count { it ==~ /↻ t +attempt 2/ } == 1
        quiet.findIndexOf { it.startsWith('↻') } < quiet.findIndexOf { it.startsWith('✔ t') }
    }

    def "durations read the same whatever the machine's locale: a point, never a comma"() {
        given:
        def before = Locale.getDefault()
        Locale.setDefault(Locale.GERMANY)

        when:
        def r = run("job('local') { task('t') { sh 'true' } }")

        then:
        r.exit == 0
        r.out.readLines().any { it ==~ /✔ t +succeeded in (\d+ms|\d+\.\ds|\d+m\d+s)/ }
        r.out.readLines().last() ==~ /run local-1 succeeded in (\d+ms|\d+\.\ds|\d+m\d+s): .*/

        cleanup:
        Locale.setDefault(before)
    }

    def "a job whose name holds a space or a slash is refused before it runs, at its line and column"() {
        when:
        def r = run("""job('$name') { task('t') { sh 'echo hi > made.txt; echo done' } }""".toString())

        then:
        r.exit == 2
        r.err.contains(":1:1: job name '$name' may only hold ASCII letters (a-z, A-Z), digits, '_', '.' and '-', not $which")

        where:
        name            | which
        'nightly build' | 'a space'
        'build/linux'   | "'/'"
    }

    def "--json prints one summary on stdout with every task's status, exit code, attempts, outputs, log and artifacts"() {
        when:
        def r = run('''job('j') {
  task('a') { sh 'echo "v=42" >> "$STOKER_OUTPUT"; mkdir -p out; echo x > out/f.txt'; artifacts 'out/**' }
  task('b') { needs 'a'; sh 'exit 3' }
  task('c') { needs 'b'; sh 'true' }
}''', '--json')
        def s = r.json()

        then:
        r.exit == 1
        s.job == 'j'
        s.key == 'j-1'
        s.status == 'failed'
        s.tasks.a.status == 'succeeded'
        s.tasks.a.exitCode == 0
        s.tasks.a.attempts == 1
        s.tasks.a.outputs == [v: '42']
        Files.exists(Path.of(s.tasks.a.log))
        s.tasks.a.artifacts.endsWith('.zip')
        s.tasks.b.status == 'failed'
        s.tasks.b.exitCode == 3
        s.tasks.c.status == 'skipped'
        s.tasks.c.exitCode == null
        s.tasks.c.artifacts == null
        r.err.contains('✘ b')
    }

    def "a local run reads a task's test reports: the summary line in its output, the counts in --json"() {
        when:
        def r = run('''job('j') {
  task('unit') {
    sh """mkdir -p reports && printf '<testsuite><testcase classname="c" name="ok" time="0.5"/><testcase classname="c" name="bad"><failure message="no"/></testcase></testsuite>' > reports/unit.xml; exit 1"""
    testReports 'reports/*.xml'
  }
}''')
        def json = run(project.resolve('Jobfile').text, '--json').json()

        then: 'the failing task still fails; its reports were read all the same'
        r.exit == 1
        r.out.readLines().any { it ==~ /unit +│ \[stoker\] tests: 2 run, 1 failed, 0 errors, 0 skipped \(reports\/\*\.xml: 1 file\)/ }
        json.tasks.unit.tests == [total: 2, failed: 1, errors: 0, skipped: 0, durationMs: 500]
    }

    def "the workspace is a copy of the Jobfile's directory without .git and the data directory"() {
        given:
        Files.createDirectories(project.resolve('.git'))
        project.resolve('.git/config').text = 'x'
        project.resolve('input.txt').text = 'data'
        def inner = project.resolve('.stoker-inner')

        when:
        project.resolve('Jobfile').text = '''job('w') { task('t') { sh 'ls -A; cat input.txt; echo changed > input.txt' } }'''
        def r = CliRun.of('run', project.resolve('Jobfile'), '--data-dir', inner, '--json')
        def log = Path.of(r.json().tasks.t.log).text

        then:
        r.exit == 0
        log.contains('input.txt')
        !log.contains('.git')
        !log.contains('.stoker-inner')
        project.resolve('input.txt').text == 'data'
    }

    def "run numbers count up per job"() {
        when:
        def first = run("job('n') { task('t') { sh 'true' } }", '--json').json()
        def second = CliRun.of('run', project.resolve('Jobfile'), '--data-dir', data, '--json').json()

        then:
        first.key == 'n-1'
        second.key == 'n-2'
    }

    def "bad parameters are refused before anything runs, naming what the job declares"() {
        given:
        def jobfile = '''job('p') {
  parameters { bool 'DEPLOY', defaultValue: false; choice 'ENV', choices: ['a', 'b'] }
  task('t') { sh 'true' }
}'''
        when:
        def unknown = run(jobfile, '-p', 'NOPE=1')
        def badBool = run(jobfile, '-p', 'DEPLOY=maybe')
        def malformed = run(jobfile, '-p', 'DEPLOY')

        then:
        unknown.exit == 2
        unknown.err.readLines().findAll { it.contains("unknown parameter") } ==
                ["stoker: unknown parameter 'NOPE' (job 'p' has DEPLOY, ENV)"] // said once
        badBool.exit == 2
        badBool.err.contains("parameter 'DEPLOY' is a bool")
        malformed.exit == 2
        malformed.err.contains('-p expects KEY=VALUE')
        !Files.exists(data.resolve('runs')) || Files.list(data.resolve('runs')).count() == 0
    }

    def "bool parameters arrive typed in conditions and as environment variables"() {
        when:
        def s = run('''job('p') {
  parameters { bool 'DEPLOY', defaultValue: false }
  task('t') { when 'params.DEPLOY'; sh 'echo "deploy=$DEPLOY"' }
}''', '-p', value, '--json').json()

        then:
        s.tasks.t.status == status

        where:
        value          | status
        'DEPLOY=false' | 'skipped'
        'DEPLOY=no'    | 'skipped'
        'DEPLOY=true'  | 'succeeded'
    }

    def "secrets from a secrets file reach the task and are masked in its log"() {
        given:
        def secrets = project.resolve('secrets.env')
        secrets.text = '# for tests\nAPI_TOKEN=s3cr3t-value\nUNASKED=1.2.3\n'

        when:
        def r = run('''job('s') {
  secrets 'API_TOKEN'
  task('t') { sh 'echo "token is $API_TOKEN"; test "$API_TOKEN" = s3cr3t-value; echo "version 1.2.3 unasked=${UNASKED-}"' }
}''', '--secrets-file', secrets, '--json')
        def log = Path.of(r.json().tasks.t.log).text

        then:
        r.exit == 0
        log.contains('token is ****')

        and: 'a value of the file the job did not declare is neither given nor masked, as on the server'
        log.contains('version 1.2.3 unasked=')
        !log.contains('unasked=1.2.3')
        !log.contains('s3cr3t-value')
        !r.err.contains('s3cr3t-value')
    }

    def "a secrets file or Jobfile that is not there is refused in one line that says so"() {
        when:
        def noSecrets = run("job('s') { task('t') { sh 'true' } }", '--secrets-file', project.resolve('nope.env'))
        def noJobfile = CliRun.of('run', project.resolve('missing.groovy').toString())

        then:
        noSecrets.exit == 2
        noSecrets.err.trim() == "stoker: cannot read the secrets file ${project.resolve('nope.env')}: no such file"
        noJobfile.exit == 2
        noJobfile.err.trim().readLines().size() == 1
        noJobfile.err.contains(': no such file')
    }

    def "a Jobfile in a directory too big to copy into the workspace is refused before anything is copied"() {
        given: 'a directory of 3 KiB beside the Jobfile'
        Files.write(project.resolve('big.bin'), new byte[3 * 1024])
        def jobfile = "job('j') { task('t') { sh 'ls' } }"

        when:
        def refused = run(jobfile, '--max-copy', '2k')
        def unlimited = run(jobfile, '--max-copy', '0')
        def enough = run(jobfile, '--max-copy', '1m', '--json')
        def nonsense = run(jobfile, '--max-copy', 'lots')

        then:
        refused.exit == 2
        refused.err.trim() == "stoker: the run's workspace is a copy of ${project.toAbsolutePath().normalize()}, which holds more than 2k bytes;" +
                " keep the Jobfile in its project's directory, or raise --max-copy (0: no limit)"
        unlimited.exit == 0
        enough.exit == 0
        Files.size(data.resolve('runs/j-2/workspace/big.bin')) == 3 * 1024
        nonsense.exit == 2
        nonsense.err.contains("--max-copy: 'lots' is not a size")

        and: 'the refused run took no number: the two that ran are the first two'
        enough.json().key == 'j-2'
    }

    def "a declared secret that was not given is refused with exit 2"() {
        when:
        def r = run("job('s') { secrets 'API_TOKEN'; task('t') { sh 'true' } }")

        then:
        r.exit == 2
        r.err.contains("job 's' needs the secret API_TOKEN")
    }

    def "--dry-run needs no secret values: it names the secrets a run will ask for and those the file lacks"() {
        given:
        def jobfile = "job('s') { secrets 'API_TOKEN'; task('t') { secrets 'DEPLOY_KEY'; sh 'true' } }"
        def secrets = project.resolve('some.env')
        secrets.text = 'API_TOKEN=s3cr3t-value\n'

        when:
        def text = run(jobfile, '--dry-run')
        def plan = run(jobfile, '--dry-run', '--json', '--secrets-file', secrets).json()

        then:
        text.exit == 0
        text.out.readLines().contains('secrets: API_TOKEN, DEPLOY_KEY — a run needs API_TOKEN, DEPLOY_KEY in a --secrets-file (NAME=value lines)')
        plan.secrets == [declared: ['API_TOKEN', 'DEPLOY_KEY'], missing: ['DEPLOY_KEY']]
        !text.out.contains('s3cr3t-value')
        !Files.exists(data.resolve('runs'))
    }

    def "a Jobfile with several jobs needs --job"() {
        given:
        def jobfile = "job('a') { task('t') { sh 'echo in-a' } }\njob('b') { task('t') { sh 'echo in-b' } }"

        when:
        def without = run(jobfile)
        def with = CliRun.of('run', project.resolve('Jobfile'), '--data-dir', data, '--job', 'b')

        then:
        without.exit == 2
        without.err.contains('has 2 jobs (a, b): choose one with --job')
        with.exit == 0
        with.out.contains('in-b')
    }

    def "run.branch comes from the git checkout the Jobfile is in, unless --branch says otherwise"() {
        given:
        project.resolve('Jobfile').text = '''job('g') {
  task('on-main') { when 'run.branch == "main"'; sh 'echo "commit ${{ run.commit }}"' }
}'''
        def git = Git.init().setDirectory(project.toFile()).setInitialBranch('main').call()
        git.add().addFilepattern('Jobfile').call()
        def commit = git.commit().setMessage('init').setAuthor('t', 't@example.com').setCommitter('t', 't@example.com').call()
        git.close()

        when:
        def onMain = CliRun.of('run', project.resolve('Jobfile'), '--data-dir', data, '--json').json()
        def onOther = CliRun.of('run', project.resolve('Jobfile'), '--data-dir', data, '--json', '--branch', 'feature').json()

        then:
        onMain.tasks['on-main'].status == 'succeeded'
        Path.of(onMain.tasks['on-main'].log).text.contains("commit ${commit.name()}")
        onOther.tasks['on-main'].status == 'skipped'
    }

    static final String DRY_RUN_JOBFILE = '''job('d') {
  parameters { bool 'DEPLOY', defaultValue: false }
  task('gen')    { sh 'touch ran-gen; seq 3' }
  task('sum')    { input from: 'gen'; sh 'wc -l' }
  task('deploy') { needs 'sum'; when 'params.DEPLOY'; sh 'echo deploy' }
  task('always') { needs 'deploy'; when 'always()'; sh 'echo always' }
}'''

    def "--dry-run prints order, pipes, parameters and known conditions, and runs nothing"() {
        when:
        def r = run(DRY_RUN_JOBFILE, '--dry-run')

        then:
        r.exit == 0
        r.out.readLines()[0].startsWith("dry run of job 'd': 4 tasks, at most")
        r.out.readLines()[0].endsWith("at once (a pipe's tasks start together, a slot each); nothing is run")
        r.out.contains('DEPLOY = false')
        r.out.contains('gen → sum')
        r.out.readLines().any { it.contains('deploy') && it.contains('→ skipped') }
        r.out.readLines().any { it.contains('always') && it.contains('when always()') }
        r.out.contains('$ touch ran-gen; seq 3')
        !Files.exists(data.resolve('runs'))
    }

    def "--dry-run with --json prints the plan as one JSON object on stdout and runs nothing"() {
        when:
        def r = run(DRY_RUN_JOBFILE, '--dry-run', '--json', '--parallel', '3')
        def plan = r.json()

        then:
        r.exit == 0
        plan.job == 'd'
        plan.dryRun == true
        plan.tasks == 4
        plan.parallel == 3
        plan.parameters == [DEPLOY: false]
        plan.levels == [['gen', 'sum'], ['deploy'], ['always']]
        plan.pipes == [[writer: 'gen', reader: 'sum']]
        plan.when.deploy == [condition: 'params.DEPLOY', verdict: 'false']
        plan.when.always == [condition: 'always()', verdict: 'true']
        !Files.exists(data.resolve('runs'))

        and: 'the steps of each task, whole, in the order of the levels'
        plan.steps.keySet() as List == ['gen', 'sum', 'deploy', 'always']
        plan.steps.gen == [[kind: 'sh', text: 'touch ran-gen; seq 3']]
        plan.steps.always == [[kind: 'sh', text: 'echo always']]
        plan.approvals == [:]
    }

    def "--dry-run --json gives a multi-line script whole and an approval gate's question"() {
        when:
        def plan = run('job(\'g\') {\n  task(\'release\') {\n    approval \'Ship it?\'\n    sh "echo one\\necho two"\n  }\n}',
                '--dry-run', '--json').json()

        then:
        plan.steps.release == [[kind: 'sh', text: 'echo one\necho two']]
        plan.approvals.release.startsWith("waits for approval: 'Ship it?'")
    }

    def "a Jobfile in a directory reached through a symbolic link runs in a copy of what the link points to"() {
        given: 'the project reached as ~/src/app is /data/src/app, as a home directory often links it'
        project.resolve('Jobfile').text = "job('app') { task('t') { sh 'cat input.txt' } }"
        project.resolve('input.txt').text = 'from the project\n'
        Path link = Files.createSymbolicLink(data.resolve('app'), project)

        when:
        def r = CliRun.of('run', link, '--data-dir', data.resolve('d'))

        then:
        r.exit == 0
        r.out.readLines().any { it ==~ /t +│ from the project/ }
        Files.isRegularFile(data.resolve('d/runs/app-1/workspace/Jobfile'))
        !Files.isSymbolicLink(data.resolve('d/runs/app-1/workspace'))
    }

    def "an invalid --max-task-log-bytes or --max-copy is refused before a run is claimed, with --dry-run too"() {
        when:
        def r = run(DRY_RUN_JOBFILE, *args)

        then:
        r.exit == 2
        r.err.readLines()[0] == refusal
        !Files.exists(data.resolve('runs'))

        where:
        args                                           || refusal
        ['--max-task-log-bytes', '0']                  || 'stoker: --max-task-log-bytes must be at least 1024, not 0'
        ['--max-task-log-bytes', '10', '--dry-run']    || 'stoker: --max-task-log-bytes must be at least 1024, not 10'
        ['--max-copy', '5q', '--dry-run']              || "stoker: --max-copy: '5q' is not a size: a number of bytes, or of KiB, MiB or GiB with k, m or g (e.g. 500m)"
    }

    def "a run whose workspace cannot be made is refused in words, and leaves no run directory behind"() {
        given: 'a data directory so deep that a copy of the project nested in it passes the 4,096 bytes a path may have'
        String segment = 'd' * 200
        Path deep = data
        while (deep.toString().length() < 3200) deep = deep.resolve(segment)
        Path nested = project
        while (nested.toString().length() < 1200) nested = nested.resolve(segment)
        Files.createDirectories(nested)
        nested.resolve('file.txt').text = 'x'

        when:
        project.resolve('Jobfile').text = "job('j') { task('t') { sh 'true' } }"
        def r = CliRun.of('run', project, '--data-dir', deep)

        then:
        r.exit == 2
        def refusal = r.err.readLines().last()
        refusal.startsWith('stoker: cannot start the run: cannot copy ')
        refusal.endsWith(' into the workspace: the path, or a name in it, is too long')
        !r.err.contains('Exception')
        Files.list(deep.resolve('runs')).withCloseable { it.toList() } == []
    }

    def "the Jobfile's own directory as --data-dir is refused: each run would copy every run before it"() {
        given:
        project.resolve('Jobfile').text = "job('j') { task('t') { sh 'true' } }"

        when:
        def r = CliRun.of('run', project, '--data-dir', project)

        then:
        r.exit == 2
        r.err.readLines() == ["stoker: --data-dir $project is the Jobfile's directory, which each run copies into its" +
                " workspace: every run would copy the runs before it; use a directory inside it (the default .stoker)" +
                " or outside it", "Try 'stoker run --help' for more information."]
        Files.list(project).withCloseable { it.toList() } == [project.resolve('Jobfile')]
    }

    def "a Jobfile read from a pipe runs in a copy of the current directory, not of /dev: #jobfile"() {
        given: 'the Jobfile comes on stdin, as from git show HEAD~1:Jobfile | stoker run /dev/stdin (or run -)'
        project.resolve('input.txt').text = 'from the current directory\n'
        def process = new ProcessBuilder(Path.of(System.getProperty('java.home'), 'bin', 'java').toString(),
                '-XX:TieredStopAtLevel=1', '-cp', System.getProperty('java.class.path'), Main.name,
                'run', jobfile, '--data-dir', data.toString())
                .directory(project.toFile()).redirectErrorStream(true).start()
        process.outputStream.withCloseable { it.write("job('piped') { task('t') { sh 'cat input.txt; ls' } }\n".bytes) }

        when:
        String out = process.inputStream.text
        boolean ended = process.waitFor(60 * CliRun.TIMEOUT_FACTOR, java.util.concurrent.TimeUnit.SECONDS)

        then:
        ended
        process.exitValue() == 0
        out.readLines().any { it ==~ /t +│ from the current directory/ }
        !out.readLines().any { it ==~ /t +│ (stdin|fd|null)/ }

        where:
        jobfile << ['/dev/stdin', '/dev/fd/0', '-']
    }

    def "every command has complete help and the version is printed"() {
        expect:
        ['validate', 'graph', 'run'].every { cmd ->
            def r = CliRun.of(cmd, '--help')
            assert r.exit == 0
            assert r.out.contains("Usage: stoker $cmd")
            true
        }
        CliRun.of('run', '--help').out.with {
            ['--job', '--param', '--dry-run', '--parallel', '--data-dir', '--secrets-file', '--json'].every { opt -> contains(opt) }
        }
        CliRun.of('--version').out.startsWith('stoker ')
        CliRun.of('--help').out.contains('Exit codes: 0 success, 1 a run failed, 2 invalid')
    }
}
