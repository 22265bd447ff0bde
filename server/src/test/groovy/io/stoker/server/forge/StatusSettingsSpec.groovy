package io.stoker.server.forge

import io.stoker.server.Problem
import spock.lang.Specification

/** Where a project's commit statuses go when host, API base or repository are left to be inferred. */
class StatusSettingsSpec extends Specification {

    static StatusSettings token(GitHost host = null, String api = null, String repo = null) {
        new StatusSettings(host, api, repo, 'TOKEN')
    }

    def "host, API base and repository are inferred from the git URL"() {
        expect:
        with(token().target(url).orElseThrow()) {
            host() == kind
            apiUrl() == api
            repository() == repo
        }

        where:
        url                                                  | kind             | api                                   | repo
        'https://github.com/acme/widget.git'                 | GitHost.GITHUB   | 'https://api.github.com'              | 'acme/widget'
        'git@github.com:acme/widget.git'                     | GitHost.GITHUB   | 'https://api.github.com'              | 'acme/widget'
        'https://github.example.com/acme/widget'             | GitHost.GITHUB   | 'https://github.example.com/api/v3'   | 'acme/widget'
        'https://gitlab.com/group/sub/widget.git'            | GitHost.GITLAB   | 'https://gitlab.com/api/v4'           | 'group/sub/widget'
        'ssh://git@gitlab.example.com:2222/group/widget.git' | GitHost.GITLAB   | 'https://gitlab.example.com/api/v4'   | 'group/widget'
        'https://codeberg.org/acme/widget.git'               | GitHost.GITEA    | 'https://codeberg.org/api/v1'         | 'acme/widget'
        'http://gitea.lan:3000/acme/widget.git'              | GitHost.GITEA    | 'http://gitea.lan:3000/api/v1'        | 'acme/widget'
        'https://gitlab.example:8443/group/widget.git'       | GitHost.GITLAB   | 'https://gitlab.example:8443/api/v4'  | 'group/widget'
    }

    def "what is given wins over what would be inferred"() {
        expect:
        with(token(GitHost.GITEA, 'https://git.example.org/api/v1', 'team/app').target('https://git.example.org/x/y/app.git').orElseThrow()) {
            host() == GitHost.GITEA
            apiUrl() == 'https://git.example.org/api/v1'
            repository() == 'team/app'
        }
        token(GitHost.GITHUB).target('https://git.example.org/sub/acme/widget.git').orElseThrow().apiUrl() ==
                'https://git.example.org/api/v3'
        token(GitHost.GITHUB).target('https://git.example.org/sub/acme/widget.git').orElseThrow().repository() == 'acme/widget'
    }

    def "without a token secret, or on a host that cannot be inferred, no statuses are sent"() {
        expect:
        new StatusSettings(GitHost.GITHUB, 'https://api.github.com', 'a/b', null).target('https://github.com/a/b').empty
        token().target('https://git.example.org/acme/widget.git').empty
        token().target('https://bitbucket.org/acme/widget.git').empty
    }

    def "absent fields keep the old values and empty ones remove them"() {
        given:
        def old = new StatusSettings(GitHost.GITLAB, 'https://gl.example/api/v4', '42', 'T')

        expect:
        StatusSettings.of(null, null, null, null, old) == old
        StatusSettings.of('', '', '', '', old) == StatusSettings.NONE
        StatusSettings.of('gitea', 'https://x.example/api/v1/', null, null, old) ==
                new StatusSettings(GitHost.GITEA, 'https://x.example/api/v1', '42', 'T')
    }

    def "a malformed field is a 400 naming it"() {
        when:
        StatusSettings.of(*args, StatusSettings.NONE)

        then:
        def e = thrown(Problem)
        e.status() == 400
        e.message.contains(field)

        where:
        args                                          | field
        ['bitbucket', null, null, null]               | 'statusHost'
        [null, 'api.github.com', null, null]          | 'statusApiUrl'
        [null, 'https://api.example/?x=1', null, null] | 'statusApiUrl'
        [null, null, 'widget', null]                  | 'statusRepository'
        [null, null, null, 'has-dash']                | 'statusTokenSecret'
    }
}
