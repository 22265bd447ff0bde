package io.stoker.dsl.container

import io.stoker.dsl.CompileResult
import io.stoker.dsl.JobfileCompiler
import io.stoker.dsl.isolate.IsolatedJobfileCompiler
import io.stoker.dsl.isolate.WorkerSettings
import io.stoker.model.Container
import io.stoker.model.Service
import spock.lang.Specification

class ContainerJobfileSpec extends Specification {

    static final String APP = '''\
job('app') {
  image 'debian:12'
  pull 'never'
  task('test') {
    image 'eclipse-temurin:21'
    services {
      postgres image: 'postgres:16', env: [POSTGRES_PASSWORD: 'x'], command: ['postgres', '-c', 'fsync=off'], ready: 'pg_isready -U postgres'
      cache image: 'localhost:5000/org/redis@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'
    }
    sh './mvnw -B verify'
  }
  task('lint') { pull 'always'; sh 'true' }
}
job('host') { task('t') { sh 'true' } }
'''

    def compiler = new JobfileCompiler()

    def "a task runs in its own image or the job's, with the job's pull policy unless it sets one"() {
        when:
        def result = compiler.compile('Jobfile', APP)

        then:
        result instanceof CompileResult.Compiled
        def app = result.jobfile().job('app').get()
        app.task('test').get().container() == new Container('eclipse-temurin:21', Container.PullPolicy.NEVER, [
                new Service('postgres', 'postgres:16', [POSTGRES_PASSWORD: 'x'], ['postgres', '-c', 'fsync=off'], 'pg_isready -U postgres'),
                new Service('cache', 'localhost:5000/org/redis@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', [:], [], null)])
        app.task('lint').get().container() == new Container('debian:12', Container.PullPolicy.ALWAYS, [])
        result.jobfile().job('host').get().task('t').get().container() == null
    }

    def "image null runs a task on the host though its job names an image, in Groovy, YAML and through the isolated compiler"() {
        given:
        def groovy = """\
job('app') {
  image 'debian:12'
  task('test') { sh 'make test' }
  task('push') { image null; sh 'podman push app' }
}
"""
        def yaml = '''\
jobs:
  app:
    image: debian:12
    tasks:
      test: {sh: make test}
      push: {image: null, sh: podman push app}
'''
        def isolated = new IsolatedJobfileCompiler(WorkerSettings.defaults().withPoolSize(0))

        expect:
        [compiler.compile('Jobfile', groovy), compiler.compile('Jobfile.yaml', yaml), isolated.compile('Jobfile', groovy)].each {
            assert it instanceof CompileResult.Compiled
            def app = it.jobfile().job('app').get()
            assert app.task('test').get().container() == new Container('debian:12', null, [])
            assert app.task('push').get().container() == null
        }

        cleanup:
        isolated?.close()
    }

    def "a task kept on the host by image null is told so when it asks for container options"() {
        when:
        def result = compiler.compile('Jobfile', "job('j') {\n  image 'debian:12'\n  task('t') {\n    image null\n    ${option}\n    sh 'true'\n  }\n}\n")

        then:
        result instanceof CompileResult.Rejected
        result.diagnostics()*.toString() == [message]

        where:
        option                          | message
        "registryCredentials 'BOT'"     | "Jobfile:5:5: registryCredentials of task 't' are for pulling its image, but it runs on the host: remove its image null, which keeps it on the host"
        "privileged true"               | "Jobfile:5:5: privileged, network and mount of task 't' are container options, but it runs on the host: remove its image null, which keeps it on the host"
    }

    def "registryCredentials names the secret images are pulled with, the task's over the job's"() {
        when:
        def result = compiler.compile('Jobfile', """\
job('app') {
  image '127.0.0.1:5000/org/base:1'
  registryCredentials 'REGISTRY_BOT'
  task('a') { sh 'true' }
  task('b') { registryCredentials 'OTHER_BOT'; sh 'true' }
}
""")

        then:
        result instanceof CompileResult.Compiled
        def app = result.jobfile().job('app').get()
        app.task('a').get().container().credentials() == 'REGISTRY_BOT'
        app.task('b').get().container().credentials() == 'OTHER_BOT'
    }

    def "registryCredentials on a host task or naming no secret is refused at its line:col"() {
        when:
        def result = compiler.compile('Jobfile', "job('j') {\n  task('t') {\n    registryCredentials '${name}'\n    sh 'true'\n  }\n}\n")

        then:
        result instanceof CompileResult.Rejected
        result.diagnostics()*.toString().contains(message)

        where:
        name       | message
        'BOT'      | "Jobfile:3:5: registryCredentials of task 't' are for pulling its image, but it runs on the host: add image '…' to the task or its job"
        'not-one'  | "Jobfile:3:5: registryCredentials 'not-one' must name a secret: letters, digits and '_', not starting with a digit"
    }

    def "privileged, network 'host' and mount become the container's host access"() {
        when:
        def result = compiler.compile('Jobfile', """\
job('j') {
  image 'debian:12'
  task('t') { privileged true; network 'host'; mount '/srv/cache'; mount '/var/lib/x'; sh 'true' }
  task('plain') { sh 'true' }
}
""")

        then:
        result instanceof CompileResult.Compiled
        def j = result.jobfile().job('j').get()
        j.task('t').get().container().hostAccess() == new io.stoker.model.HostAccess(true, true, ['/srv/cache', '/var/lib/x'])
        j.task('t').get().container().hostAccess().asked() == ['--privileged', 'host networking', 'host mount /srv/cache', 'host mount /var/lib/x']
        !j.task('plain').get().container().hostAccess().any()
    }

    def "host access options are checked at their line:col"() {
        when:
        def result = compiler.compile('Jobfile', "job('j') {\n  task('t') {\n    ${option}\n    sh 'true'\n  }\n}\n")

        then:
        result instanceof CompileResult.Rejected
        result.diagnostics()*.toString().contains(message)

        where:
        option               | message
        "privileged true"    | "Jobfile:3:5: privileged, network and mount of task 't' are container options, but it runs on the host: add image '…' to the task or its job"
        "image 'a:1'; network 'bridge'" | "Jobfile:3:18: network takes only 'host' (tasks otherwise get a network of their own), not 'bridge'"
        "image 'a:1'; mount 'rel/dir'"  | "Jobfile:3:18: mount 'rel/dir' must be an absolute host directory other than /, without ':', ',' or '..'"
    }

    def "a malformed image reference is refused at its line:col with the reason"() {
        when:
        def result = compiler.compile('Jobfile', "job('j') {\n  task('t') {\n    image '${image}'\n    sh 'true'\n  }\n}\n")

        then:
        result instanceof CompileResult.Rejected
        result.diagnostics()*.toString() == ["Jobfile:3:5: image '${image}' of task 't' is not a valid image reference: ${why}".toString()]

        where:
        image                      | why
        'Debian:12'                | 'repository names are lowercase'
        'debian:-12'               | "the tag '-12' may hold only letters, digits, '_', '.' and '-' (at most 128, not starting with '.' or '-')"
        'debian@sha256:abc'        | "the digest after '@' must be ALGORITHM:HEX, e.g. sha256: and 64 hex digits"
        'org//app'                 | 'the name must be [HOST[:PORT]/]PATH with lowercase letters, digits and . _ - between them'
        ''                         | 'it is empty'
        'reg/app:${{ run.number }}' | TEMPLATE
    }

    /** Why an image to run or build on may not hold a template (only push fills them). */
    static final String TEMPLATE = 'it cannot hold ${{ }} templates, which are filled only in a buildImage or publishImage' +
            ' push: name a fixed tag (a task after the push can run the tag it pushed, e.g. :latest)'

    def "references the OCI grammar allows are accepted"() {
        expect:
        compiler.compile('Jobfile', "job('j') { image '${image}'; task('t') { sh 'true' } }") instanceof CompileResult.Compiled

        where:
        image << ['debian', 'debian:12', 'library/debian:bookworm-slim', 'Registry.Example:5000/org/app_x.y__z-w:1.0',
                  'localhost/stoker-test/busybox:1', 'ghcr.io/a/b/c:latest@sha256:' + 'a' * 64]
    }

    def "pull words, service names and services without an image are checked"() {
        when:
        def result = compiler.compile('Jobfile', '''\
job('j') {
  pull 'sometimes'
  task('a') {
    services { db image: 'postgres:16' }
    sh 'true'
  }
  task('b') {
    image 'debian:12'
    services {
      db image: 'postgres:16'
      db image: 'postgres:15'
      web env: [X: '1']
    }
    sh 'true'
  }
}
''')

        then:
        result instanceof CompileResult.Rejected
        result.diagnostics()*.toString() == [
                "Jobfile:2:3: pull takes 'always', 'if-not-present' or 'never', not 'sometimes'",
                "Jobfile:4:16: services of task 'a' need the task to run in an image (they share its network): add image '…' to the task or its job",
                "Jobfile:11:7: duplicate service 'db' in task 'b'",
                "Jobfile:12:7: service 'web' needs an image: web image: '…'"]
    }

    def "an unknown service option is named with the known ones"() {
        when:
        def result = compiler.compile('Jobfile', "job('j') { image 'debian:12'; task('t') { services { db image: 'x', port: 5432 }; sh 'true' } }")

        then:
        result instanceof CompileResult.Rejected
        result.diagnostics()[0].message().contains("unknown option 'port' for service 'db'")
    }

    def "YAML Jobfiles say the same"() {
        given:
        def yaml = '''\
jobs:
  app:
    image: debian:12
    tasks:
      test:
        image: eclipse-temurin:21
        pull: always
        services:
          postgres: {image: 'postgres:16', env: {POSTGRES_PASSWORD: x}, ready: pg_isready -U postgres}
        sh: ./mvnw -B verify
      lint: {sh: 'true'}
'''
        when:
        def app = compiler.compile('Jobfile.yaml', yaml).jobfile().job('app').get()

        then:
        app.task('test').get().container() == new Container('eclipse-temurin:21', Container.PullPolicy.ALWAYS, [
                new Service('postgres', 'postgres:16', [POSTGRES_PASSWORD: 'x'], [], 'pg_isready -U postgres')])
        app.task('lint').get().container() == new Container('debian:12', null, [])
    }

    def "the isolated compiler brings containers across its wire unchanged"() {
        given:
        def isolated = new IsolatedJobfileCompiler(WorkerSettings.defaults().withPoolSize(0))

        def text = APP.replace("pull 'always'; sh 'true'", "pull 'always'; registryCredentials 'BOT'; privileged true; network 'host'; mount '/srv/c'; sh 'true'")

        when:
        def result = isolated.compile('Jobfile', text)

        then:
        result instanceof CompileResult.Compiled
        result == compiler.compile('Jobfile', text)
        result.jobfile().job('app').get().task('lint').get().container().hostAccess().mounts() == ['/srv/c']

        cleanup:
        isolated?.close()
    }
}
