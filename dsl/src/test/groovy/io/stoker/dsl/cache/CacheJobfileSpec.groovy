package io.stoker.dsl.cache

import io.stoker.dsl.CompileResult
import io.stoker.dsl.JobfileCompiler
import io.stoker.model.Cache
import spock.lang.Shared
import spock.lang.Specification

/** A task's {@code cache} through the Groovy and YAML/JSON front ends into the model, and what is refused where. */
class CacheJobfileSpec extends Specification {

    @Shared
    JobfileCompiler compiler = new JobfileCompiler()

    io.stoker.model.Job compiled(String file, String text) {
        def result = compiler.compile(file, text)
        assert result instanceof CompileResult.Compiled: result.diagnostics()*.toString()
        result.jobfile().jobs().first()
    }

    List<String> errors(String file, String text) {
        compiler.compile(file, text).diagnostics().findAll { it.error }*.toString()
    }

    def "a Groovy task keeps directories under a key hashed from its lock files, or under its own name"() {
        when:
        def job = compiled('Jobfile', '''\
job('ci') {
  task('build') { cache 'node_modules', '.m2/repository', key: 'deps', files: ['package-lock.json', '**/pom.xml']; sh 'make' }
  task('lint')  { cache 'node_modules'; sh 'npm run lint' }
  task('docs')  { cache(['site/.cache']); sh 'make docs' }
  task('test')  { cache 'vendor', files: 'go.sum'; sh 'go test' }
  task('none')  { sh 'true' }
}''')

        then:
        job.task('build').get().cache() == new Cache('deps', ['node_modules', '.m2/repository'], ['package-lock.json', '**/pom.xml'])
        job.task('lint').get().cache() == new Cache('lint', ['node_modules'], [])
        job.task('docs').get().cache() == new Cache('docs', ['site/.cache'], [])
        job.task('test').get().cache() == new Cache('test', ['vendor'], ['go.sum'])
        job.task('none').get().cache() == null
    }

    def "a YAML or JSON task writes cache as paths or as {paths, key, files}"() {
        expect:
        compiled('Jobfile.yaml', '''\
jobs:
  ci:
    tasks:
      build: {sh: make, cache: {paths: [node_modules], key: deps, files: [package-lock.json]}}
''').task('build').get().cache() == new Cache('deps', ['node_modules'], ['package-lock.json'])
        compiled('Jobfile.yaml', "jobs: {ci: {tasks: {lint: {sh: x, cache: node_modules}}}}")
                .task('lint').get().cache() == new Cache('lint', ['node_modules'], [])
        compiled('Jobfile.json', '{"jobs": {"ci": {"tasks": {"b": {"sh": "x", "cache": {"paths": [".m2"], "files": ["pom.xml"]}}}}}}')
                .task('b').get().cache() == new Cache('b', ['.m2'], ['pom.xml'])
    }

    def "every cell of a matrix task keeps its cache under the task's name (the engine's hash tells the cells apart)"() {
        when:
        def job = compiled('Jobfile', "job('ci') { task('test') { matrix jdk: ['17', '21']; cache '.m2'; sh 'x' } }")

        then:
        job.tasks()*.cache() == [new Cache('test', ['.m2'], []), new Cache('test', ['.m2'], [])]
    }

    def "a path or key file leaving the workspace is told at its line and column, in Groovy and YAML alike"() {
        expect:
        errors('Jobfile', '''\
job('ci') {
  task('build') {
    sh 'make'
    cache '/root/.m2', 'a/../../x', files: ['../secret.lock']
  }
}''') == ["Jobfile:4:5: cache path '/root/.m2' of task 'build' must be relative to the task's workspace (a cache keeps what the task made there)",
          "Jobfile:4:5: cache path 'a/../../x' of task 'build' leaves the workspace with '..': a cache keeps files inside it",
          "Jobfile:4:5: cache key file '../secret.lock' of task 'build' leaves the workspace with '..': the key is made of files inside it"]
        errors('Jobfile.yaml', '''\
jobs:
  ci:
    tasks:
      build:
        sh: make
        cache: {paths: [node_modules, ~/.npm], key: 'deps/../x'}
''') == ["Jobfile.yaml:6:39: cache path '~/.npm' of task 'build' must be relative to the task's workspace (a cache keeps what the task made there)",
         "Jobfile.yaml:6:53: cache key 'deps/../x' of task 'build' must be a name of letters, digits, '.', '_' and '-' (at most 64); the files: whose contents make it change go in files:"]
    }

    def "a cache without paths, with an unknown option, or a second cache is told what to write"() {
        expect:
        errors('Jobfile', "job('ci') { task('b') { sh 'x'; cache key: 'deps' } }") ==
                ["Jobfile:1:33: cache needs the directories to keep: cache 'node_modules', key: 'deps', files: ['package-lock.json']"]
        errors('Jobfile', "job('ci') { task('b') { sh 'x'; cache 'a', paths: ['b'] } }") ==
                ["Jobfile:1:33: unknown option 'paths' for cache (known: key, files)"]
        errors('Jobfile', "job('ci') { task('b') { sh 'x'; cache 'a'; cache 'b' } }") ==
                ["Jobfile:1:44: task 'b' has a cache already; list all its paths in one cache"]
        errors('Jobfile.yaml', "jobs: {ci: {tasks: {b: {sh: x, cache: {key: deps}}}}}") ==
                ["Jobfile.yaml:1:39: cache needs paths: the directories to keep, e.g. {paths: [node_modules], files: [package-lock.json]}"]
        errors('Jobfile.yaml', "jobs: {ci: {tasks: {b: {sh: x, cache: {paths: [a], key: {files: [x.lock]}}}}}}") ==
                ["Jobfile.yaml:1:57: GitLab's key: {files: [...]} is written files: [...] beside paths: here; key: is a name"]
    }

    def "GitLab's cache written on the job is pointed to the task's cache"() {
        expect:
        errors('Jobfile.yaml', "jobs: {ci: {cache: {paths: [.m2]}, tasks: {b: {sh: x}}}}") ==
                ["Jobfile.yaml:1:13: unknown key 'cache' in job 'ci' — a cache belongs to a task: write cache: {paths: [node_modules], files: [package-lock.json]} in the task"]
        errors('Jobfile', "job('ci') { cache '.m2'; task('b') { sh 'x' } }").first().contains(
                "a cache belongs to a task: write cache 'node_modules', key: 'deps', files: ['package-lock.json'] in the task")
    }
}
