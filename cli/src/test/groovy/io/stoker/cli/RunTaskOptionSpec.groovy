package io.stoker.cli

import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/** {@code stoker run --task}: the tasks named and what they need run, the job's others are skipped. */
class RunTaskOptionSpec extends Specification {

    @TempDir
    Path project

    @TempDir
    Path data

    /** Where each task that runs leaves a file of its name: what did not run left none. */
    @TempDir
    Path ran

    private CliRun run(Object... args) {
        project.resolve('Jobfile').text = """job('ci') {
  task('build')  { sh 'touch $ran/build' }
  task('lint')   { sh 'touch $ran/lint' }
  task('test')   { needs 'build'; matrix jdk: ['17', '21']; sh 'touch "$ran/test-\${{ matrix.jdk }}"' }
  task('gen')    { sh 'touch $ran/gen; echo generated' }
  task('pack')   { needs 'test'; input from: 'gen'; sh 'cat > /dev/null; touch $ran/pack' }
  task('deploy') { needs 'pack'; sh 'touch $ran/deploy' }
}"""
        CliRun.of(['run', project.resolve('Jobfile'), '--data-dir', data, *args] as Object[])
    }

    private List<String> ran() {
        Files.list(ran).withCloseable { it.map { it.fileName.toString() }.sorted().toList() }
    }

    def "a task and what it needs run; the others do not, and are shown skipped"() {
        when:
        def r = run('--task', 'test[jdk=17]')

        then:
        r.exit == 0
        ran() == ['build', 'test-17']
        r.out.contains('only test[jdk=17] and what it needs: 2 of 7 tasks; the others are skipped')
        ['lint', 'test\\[jdk=21\\]', 'gen', 'pack', 'deploy'].every { name ->
            r.out.readLines().any { it ==~ /⊘ $name +skipped.*not selected for this run.*/ }
        }
        r.out.readLines().last() ==~ /run ci-1 succeeded in .*: 2 succeeded, 5 skipped — .*ci-1/
    }

    def "a matrix task's name selects all its cells"() {
        when:
        def r = run('--task', 'test')

        then:
        r.exit == 0
        ran() == ['build', 'test-17', 'test-21']
    }

    def "a task reading a pipe brings its writer, and what it needs, along"() {
        when:
        def r = run('--task', 'pack')

        then:
        r.exit == 0
        ran() == ['build', 'gen', 'pack', 'test-17', 'test-21']
        r.out.readLines().any { it ==~ /⊘ deploy +skipped.*/ }
    }

    def "--task is repeatable: the run holds every task named and what each needs"() {
        when:
        def r = run('--task', 'lint', '--task', 'gen', '--json')

        then:
        r.exit == 0
        ran() == ['gen', 'lint']
        r.json().tasks.findAll { k, v -> v.status == 'succeeded' }.keySet() == ['lint', 'gen'] as Set
        r.json().tasks.build.reason == 'not selected for this run'
    }

    def "#what is refused before anything runs"() {
        when:
        def r = run('--task', given)

        then:
        r.exit == 2
        r.err.readLines()[0] == error
        ran().isEmpty()
        !Files.exists(data.resolve('runs'))

        where:
        what                                                     | given  | error
        'a name that is no task of the job, naming the tasks it has' | 'tset' | "stoker: --task tset: job 'ci' has no task 'tset' — did you mean 'test'? (tasks: build, lint, test, test[jdk=17], test[jdk=21], gen, pack, deploy)"
        // it selects nothing: every task is what leaving --task out runs, as stoker trigger and the server say
        'an empty name'                                          | ''     | 'stoker: --task is empty: name a task to run, or leave --task out to run every task'
    }

    def "--dry-run with --task shows the plan of the tasks that would run"() {
        when:
        def r = run('--task', 'test', '--dry-run')
        // a level's first task follows its number ("  1. build"), the others stand under it; steps are further in
        def planned = r.out.readLines().findResults { line ->
            def m = line =~ /^ {4}\d\. (\S+)|^ {7}(\S+)/
            m.find() ? (m.group(1) ?: m.group(2)) : null
        }

        then:
        r.exit == 0
        r.out.readLines().first().startsWith("dry run of job 'ci': 3 of its 7 tasks (--task test and what it needs; the others are skipped)")
        planned == ['build', 'test[jdk=17]', 'test[jdk=21]']
        !r.out.contains('deploy')
        ran().isEmpty()
    }

    def "stoker graph --task draws the tasks a run with it would run"() {
        given: 'the Jobfile written (a plan runs nothing)'
        run('--dry-run')

        when:
        def r = CliRun.of('graph', project.resolve('Jobfile'), '--task', 'pack', '--format', 'json')

        then:
        r.exit == 0
        r.json().tasks*.name as Set == ['build', 'test[jdk=17]', 'test[jdk=21]', 'gen', 'pack'] as Set
    }
}
