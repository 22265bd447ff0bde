package io.stoker.dsl.trigger

import io.stoker.dsl.glob.PathGlob

/** Push triggers' {@code paths} and {@code pathsIgnore} through both front ends, the validator and the glob matcher. */
class PathFilterSpec extends PushTriggerSpecification {

    def "the Groovy DSL takes paths and pathsIgnore beside branches"() {
        expect:
        with(push('Jobfile', '''\
job('api') {
  triggers { push branches: ['main'], paths: ['services/api/**'], pathsIgnore: ['**/*.md'] }
  task('t') { sh 'true' }
}''')) {
            branches() == ['main']
            paths() == ['services/api/**']
            pathsIgnore() == ['**/*.md']
            filtersPaths()
        }
    }

    def "the YAML and JSON forms take them too"() {
        expect:
        with(push('Jobfile.yaml', '''\
jobs:
  api:
    triggers:
      push: {branches: [main], paths: ['services/api/**'], pathsIgnore: ['**/*.md']}
    tasks:
      t: {sh: 'true'}
''')) {
            branches() == ['main']
            paths() == ['services/api/**']
            pathsIgnore() == ['**/*.md']
        }
        push('Jobfile.json', '{"jobs": {"api": {"triggers": {"push": [{"paths": ["services/**"]}]}, "tasks": {"t": {"sh": "true"}}}}}')
                .paths() == ['services/**']
    }

    def "a push trigger without path options filters no paths"() {
        expect:
        !push('Jobfile', "job('a') { triggers { push branches: ['main'] }\n task('t') { sh 'true' } }").filtersPaths()
    }

    def "a bad glob is an error at its line and column"() {
        expect:
        errors('Jobfile', '''\
job('api') {
  triggers { push branches: ['main'], paths: ['services/api/[ab'] }
  task('t') { sh 'true' }
}''').any { it.contains('2:14') && it.contains("push paths: 'services/api/[ab': the '[' at column 14 is never closed") }
        errors('Jobfile.yaml', '''\
jobs:
  api:
    triggers:
      push: {pathsIgnore: ['/docs/**']}
    tasks:
      t: {sh: 'true'}
''').any { it.contains(':4:') && it.contains("push pathsIgnore: '/docs/**': paths are relative to the repository root") }
        errors('Jobfile', "job('a') { triggers { push paths: 'x', pathz: ['y'] }\n task('t') { sh 'true' } }")
                .any { it.contains('pathz') }
    }

    def "#glob matches #path: #expected"() {
        expect:
        PathGlob.of(glob).matches(path) == expected

        where:
        glob              | path                          | expected
        'services/api/**' | 'services/api/main.go'        | true
        'services/api/**' | 'services/api/v1/handler.go'  | true
        'services/api/**' | 'services/web/app.js'         | false
        '**/*.md'         | 'README.md'                   | true
        '**/*.md'         | 'services/api/README.md'      | true
        '**/*.md'         | 'services/api/main.go'        | false
        '*.md'            | 'docs/guide.md'               | false
        'docs/'           | 'docs/a/b.txt'                | true
        'src/?.c'         | 'src/a.c'                     | true
        'src/[ab].c'      | 'src/b.c'                     | true
        'src/[!ab].c'     | 'src/b.c'                     | false
        'a+b/(x)/*'       | 'a+b/(x)/y'                   | true
    }
}
