package io.stoker.cli.remote

import io.stoker.cli.CliRun

/** {@code stoker project member add|remove|list} against a real server: letting a developer into a project without curl. */
class ProjectMemberCommandSpec extends RemoteCliSpecification {
    @Override
    int slots() {
        1
    }

    def setupSpec() {
        assert stokerWithInput('dave-password-12345\n', 'user', 'add', 'dave', '--role', 'developer', '--password-stdin').exit == 0
        def jobfile = dataDir.resolveSibling(dataDir.fileName.toString() + '.Jobfile')
        jobfile.text = "job('j') { task('t') { sh 'true' } }"
        assert stoker('project', 'add', 'web', '--jobfile', jobfile).exit == 0
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
