package io.stoker.dsl.trigger

/** Push triggers' {@code tags}: a release job runs when a tag is pushed, through both front ends and the validator. */
class TagTriggerSpec extends PushTriggerSpecification {

    def "the Groovy DSL takes tags, alone or beside branches"() {
        expect:
        with(push('Jobfile', '''\
job('release') {
  triggers { push tags: ['v*', 'release-*'] }
  task('t') { sh 'true' }
}''')) {
            tags() == ['v*', 'release-*']
            branches() == []
            !takesBranches()
        }
        with(push('Jobfile', "job('a') { triggers { push branches: ['main'], tags: 'v*' }\n task('t') { sh 'true' } }")) {
            tags() == ['v*']
            branches() == ['main']
            takesBranches()
        }
    }

    def "the YAML and JSON forms take them too"() {
        expect:
        with(push('Jobfile.yaml', '''\
jobs:
  release:
    triggers:
      push: {tags: ['v*', 'release-*']}
    tasks:
      t: {sh: 'true'}
''')) {
            tags() == ['v*', 'release-*']
            !takesBranches()
        }
        push('Jobfile.json', '{"jobs": {"r": {"triggers": {"push": [{"tags": ["v*"], "branches": ["main"]}]}, "tasks": {"t": {"sh": "true"}}}}}')
                .tags() == ['v*']
    }

    def "a push trigger without tags takes every branch it did before and no tag"() {
        expect:
        with(push('Jobfile', "job('a') { triggers { push() }\n task('t') { sh 'true' } }")) {
            tags() == []
            takesBranches()
        }
        push('Jobfile.yaml', "jobs:\n  a:\n    triggers:\n      push: {branches: [main]}\n    tasks:\n      t: {sh: 'true'}\n")
                .tags() == []
    }

    def "a bad tag glob is an error at its line and column"() {
        expect:
        errors('Jobfile', '''\
job('release') {
  triggers { push tags: ['v[0-9'] }
  task('t') { sh 'true' }
}''').any { it.contains('2:14') && it.contains("push tags: 'v[0-9': the '[' at column 2 is never closed") }
        errors('Jobfile.yaml', '''\
jobs:
  release:
    triggers:
      push: {tags: ['/v1', '']}
    tasks:
      t: {sh: 'true'}
''').with { e ->
            e.any { it.contains(':4:') && it.contains("push tags: '/v1': a tag name does not start with '/'") } &&
                    e.any { it.contains(':4:') && it.contains('push tags: a tag pattern cannot be empty') }
        }
        errors('Jobfile', "job('a') { triggers { push tags: [v: 1] }\n task('t') { sh 'true' } }")
                .any { it.contains("push tags: takes a list of tag names, e.g. tags: ['v*']") }
    }

    def "run.tag is a run property expressions may read"() {
        expect:
        errors('Jobfile', "job('a') { task('t') { sh 'echo \${{ run.tag }}'; when 'run.tag != null' } }") == []
    }
}
