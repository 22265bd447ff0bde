package io.stoker.server

import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path

class ServerConfigSpec extends Specification {
    @TempDir Path dir

    def "defaults are port 8080 on 127.0.0.1, ./stoker-data, one slot per CPU and isolated compiles"() {
        when:
        def c = ServerConfig.load(null, [:])

        then:
        c.port() == 8080
        c.bind() == '127.0.0.1'
        c.dataDir() == Path.of('stoker-data').toAbsolutePath()
        c.slots() == Runtime.runtime.availableProcessors()
        c.maxBodyBytes() == 1 << 20
        c.isolatedCompiler()
    }

    def "a properties file overrides the defaults and the environment overrides the file"() {
        given:
        def file = dir.resolve('stoker.properties')
        file.text = 'port=9000\nslots=3\ndataDir=/srv/stoker\ncompiler=in-process\n'

        when:
        def c = ServerConfig.load(file, [STOKER_PORT: '9100', STOKER_BIND: '0.0.0.0'])

        then:
        c.port() == 9100
        c.bind() == '0.0.0.0'
        c.slots() == 3
        c.dataDir() == Path.of('/srv/stoker')
        !c.isolatedCompiler()
    }

    def "connection limits and the stalled-run report have defaults, and the file and the environment set them"() {
        given:
        def file = dir.resolve('stoker.properties')
        file.text = 'idleTimeout=2m\nmaxConnectionsPerAddress=10\nstalledRunAfter=5s\n'

        when:
        def d = ServerConfig.load(null, [:])
        def c = ServerConfig.load(file, [STOKER_BODY_TIMEOUT: '500ms', STOKER_MAX_CONNECTIONS_PER_ADDRESS: '20'])

        then:
        d.idleTimeout() == java.time.Duration.ofSeconds(60)
        d.bodyTimeout() == java.time.Duration.ofSeconds(30)
        d.maxConnectionsPerAddress() == 256
        d.stalledRunAfter() == java.time.Duration.ofSeconds(30)
        c.idleTimeout() == java.time.Duration.ofMinutes(2)
        c.bodyTimeout() == java.time.Duration.ofMillis(500)
        c.maxConnectionsPerAddress() == 20
        c.stalledRunAfter() == java.time.Duration.ofSeconds(5)

        when:
        ServerConfig.load(null, [STOKER_MAX_CONNECTIONS_PER_ADDRESS: '0'])

        then:
        def e = thrown(IllegalArgumentException)
        e.message == 'STOKER_MAX_CONNECTIONS_PER_ADDRESS: maxConnectionsPerAddress must be at least 1, was 0'
    }

    def "a Jobfile's evaluation budget is 5 s of CPU unless the file or STOKER_JOBFILE_CPU lowers it, to 100 ms at least"() {
        given:
        def file = dir.resolve('stoker.properties')
        file.text = 'jobfileCpu=2s\n'

        expect:
        ServerConfig.load(null, [:]).jobfileCpu() == java.time.Duration.ofSeconds(5)
        ServerConfig.load(file, [:]).jobfileCpu() == java.time.Duration.ofSeconds(2)
        ServerConfig.load(file, [STOKER_JOBFILE_CPU: '750ms']).jobfileCpu() == java.time.Duration.ofMillis(750)

        when:
        ServerConfig.load(null, [STOKER_JOBFILE_CPU: value])

        then:
        def e = thrown(IllegalArgumentException)
        e.message == "STOKER_JOBFILE_CPU: jobfileCpu must be between 100ms and 5s, was $millis".toString()

        where:
        value  | millis
        '50ms' | '50ms'
        '6s'   | '6000ms'
    }

    def "isolated compiles run as many at once as the CPUs, at most 2, unless the file or STOKER_COMPILES says; at least 1"() {
        given:
        def file = dir.resolve('stoker.properties')
        file.text = 'compiles=3\n'

        expect:
        ServerConfig.load(null, [:]).compiles() == Math.min(2, Runtime.runtime.availableProcessors())
        ServerConfig.load(file, [:]).compiles() == 3
        ServerConfig.load(file, [STOKER_COMPILES: '1']).compiles() == 1

        when:
        ServerConfig.load(null, [STOKER_COMPILES: '-1'])

        then:
        def e = thrown(IllegalArgumentException)
        e.message == 'STOKER_COMPILES: compiles must be at least 1, was -1'
    }

    def "a task log's cap is 64 MiB unless the file or STOKER_MAX_TASK_LOG_BYTES sets it, and at least a KiB"() {
        given:
        def file = dir.resolve('stoker.properties')
        file.text = 'maxTaskLogBytes=1048576\n'

        expect:
        ServerConfig.load(null, [:]).maxTaskLogBytes() == 64L << 20
        ServerConfig.load(file, [:]).maxTaskLogBytes() == 1L << 20
        ServerConfig.load(file, [STOKER_MAX_TASK_LOG_BYTES: '4096']).maxTaskLogBytes() == 4096

        when:
        ServerConfig.load(null, [STOKER_MAX_TASK_LOG_BYTES: '10'])

        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains('maxTaskLogBytes must be at least 1024')
    }

    def "a task log's cap set to #value is refused, not taken as the 64 MiB default"() {
        when:
        ServerConfig.load(null, [STOKER_MAX_TASK_LOG_BYTES: value])

        then:
        def e = thrown(IllegalArgumentException)
        e.message == "STOKER_MAX_TASK_LOG_BYTES: maxTaskLogBytes must be at least 1024, was $value".toString()

        where:
        value << ['0', '-5']
    }

    def "the default webhook secret comes from the file or STOKER_WEBHOOK_SECRET and never shows in toString"() {
        given:
        def file = dir.resolve('stoker.properties')
        file.text = 'webhookSecret=from-file\n'

        expect:
        ServerConfig.load(null, [:]).webhookSecret() == null
        ServerConfig.load(file, [:]).webhookSecret() == 'from-file'
        ServerConfig.load(file, [STOKER_WEBHOOK_SECRET: 'from-env']).webhookSecret() == 'from-env'
        !ServerConfig.load(file, [STOKER_WEBHOOK_SECRET: 'from-env']).toString().contains('from-env')
    }

    def "ssh trust-on-first-use is off unless the file or STOKER_SSH_TRUST_FIRST_USE turns it on"() {
        given:
        def file = dir.resolve('stoker.properties')
        file.text = 'sshTrustFirstUse=true\n'
        def bad = dir.resolve('bad.properties')
        bad.text = 'sshTrustFirstUse=yes\n'

        when:
        ServerConfig.load(bad, [:])

        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains('sshTrustFirstUse') && e.message.contains("must be 'true' or 'false'")
        !ServerConfig.load(null, [:]).sshTrustFirstUse()
        ServerConfig.load(file, [:]).sshTrustFirstUse()
        !ServerConfig.load(file, [STOKER_SSH_TRUST_FIRST_USE: 'false']).sshTrustFirstUse()
        ServerConfig.load(null, [STOKER_SSH_TRUST_FIRST_USE: 'true']).sshTrustFirstUse()
    }

    def "the first admin password comes from the file or STOKER_ADMIN_PASSWORD, is long enough and never shows"() {
        given:
        def file = dir.resolve('stoker.properties')
        file.text = 'adminPassword=from-the-file-123\n'

        expect:
        ServerConfig.load(null, [:]).adminPassword() == null
        ServerConfig.load(file, [:]).adminPassword() == 'from-the-file-123'
        ServerConfig.load(file, [STOKER_ADMIN_PASSWORD: 'from-the-environment']).adminPassword() == 'from-the-environment'
        !ServerConfig.load(file, [:]).toString().contains('from-the-file')

        when:
        ServerConfig.load(null, [STOKER_ADMIN_PASSWORD: 'short'])

        then:
        def e = thrown(IllegalArgumentException)
        e.message == 'STOKER_ADMIN_PASSWORD: the admin password must be at least 12 characters long, not counting whitespace'
    }

    def "an admin password of whitespace is refused, however long: #why"() {
        when:
        ServerConfig.load(null, [STOKER_ADMIN_PASSWORD: password])

        then:
        def e = thrown(IllegalArgumentException)
        e.message == 'STOKER_ADMIN_PASSWORD: the admin password ' + message

        where:
        why                     | password          | message
        'twelve spaces'         | ' ' * 12          | 'must not be blank or only whitespace'
        'tabs and line ends'    | '\t \n' * 8     | 'must not be blank or only whitespace'
        'mostly whitespace'     | 'ab' + ' ' * 20   | 'must be at least 12 characters long, not counting whitespace'
    }

    def "the store is H2 in the data directory unless the file, STOKER_DB or --db names a PostgreSQL database"() {
        given:
        def file = dir.resolve('stoker.properties')
        file.text = 'db=postgresql://ci:from-file-pw@db.example:5432/stoker\n'

        expect:
        ServerConfig.defaults().db() == null
        ServerConfig.load(file, [:]).db() == 'postgresql://ci:from-file-pw@db.example:5432/stoker'
        ServerConfig.load(file, [STOKER_DB: 'postgresql://ci@other/stoker']).db() == 'postgresql://ci@other/stoker'
        ServerConfig.load(file, [STOKER_DB: 'h2']).db() == null

        and: 'the password never shows'
        ServerConfig.load(file, [:]).toString().contains('db=postgresql://ci:***@db.example:5432/stoker')
        !ServerConfig.load(file, [:]).toString().contains('from-file-pw')
    }

    def "bad settings name their source"() {
        when:
        def file = dir.resolve('bad.properties')
        file.text = text
        ServerConfig.load(file, env)

        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains(message)

        where:
        text          | env                  | message
        'prot=1\n'    | [:]                  | "unknown setting 'prot'"
        'port=x\n'    | [:]                  | "port: 'x' is not a number"
        'slots=0\n'   | [:]                  | 'slots must be at least 1'
        ''            | [STOKER_PORT: '-1']  | 'STOKER_PORT: port must be 0..65535'
        ''            | [STOKER_COMPILER: 'x'] | "STOKER_COMPILER: must be 'isolated' or 'in-process'"
        ''            | [STOKER_DB: 'mysql://u@h/db'] | "STOKER_DB: 'mysql://u@h/db' is not a PostgreSQL URL (it must start with postgresql://)"
    }
}
