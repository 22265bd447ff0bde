package io.stoker.cli.remote

import io.stoker.cli.CliRun
import io.stoker.server.ServerConfig
import io.stoker.server.StokerServer
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path

/** {@code stoker project member add|remove|list} against a real server: letting a developer into a project without curl. */
class ProjectMemberCommandSpec extends Specification {
    @Shared @TempDir Path dataDir
    @Shared StokerServer server
    @Shared String token

    def setupSpec() {
        server = StokerServer.start(ServerConfig.defaults().withPort(0).withDataDir(dataDir).withSlots(1)
                .withIsolatedCompiler(false).withAdminPassword('spec-admin-password'))
        token = server.auth().createApiToken('admin', 'spec', null).token()
        InputStream before = System.in
        System.in = new ByteArrayInputStream('dave-password-12345\n'.getBytes('UTF-8'))
        try {
            assert stoker('user', 'add', 'dave', '--role', 'developer', '--password-stdin').exit == 0
        } finally {
            System.in = before
        }
        def jobfile = dataDir.resolveSibling(dataDir.fileName.toString() + '.Jobfile')
        jobfile.text = "job('j') { task('t') { sh 'true' } }"
        assert stoker('project', 'add', 'web', '--jobfile', jobfile).exit == 0
    }

    def cleanupSpec() {
        server?.close()
    }

    CliRun stoker(Object... args) {
        CliRun.of(*args, '--server', server.url(), '--token', token)
    }

    def "a member is added, listed and removed"() {
        when:
        def add = stoker('project', 'member', 'add', 'web', 'dave')
        def list = stoker('project', 'member', 'list', 'web')
        def remove = stoker('project', 'member', 'remove', 'web', 'dave')
        def after = stoker('project', 'member', 'list', 'web')

        then:
        add.exit == 0
        add.out.trim() == 'added dave to project web'
        list.exit == 0
        list.out.readLines() == ['admin', 'dave']
        remove.exit == 0
        remove.out.trim() == 'removed dave from project web'
        after.out.readLines() == ['admin']
    }

    def "unknown names are refused with exit 2 in one line"() {
        expect:
        with(stoker('project', 'member', 'add', 'web', 'nobody')) {
            exit == 2
            err.trim() == "stoker: no user 'nobody'"
        }
        with(stoker('project', 'member', 'remove', 'web', 'dave')) {
            exit == 2
            err.trim() == "stoker: 'dave' is not a member of 'web'"
        }
        with(stoker('project', 'member', 'list', 'nope')) {
            exit == 2
            err.trim() == "stoker: no project 'nope'"
        }
    }

    def "project --help lists member, and member --help says who may change members"() {
        expect:
        CliRun.of('project', '--help').out.contains('member')
        CliRun.of('project', 'member', '--help').out.replaceAll(/\s+/, ' ')
                .contains('Members and admins may add and remove members')
    }
}
