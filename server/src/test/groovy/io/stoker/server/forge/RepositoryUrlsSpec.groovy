package io.stoker.server.forge

import spock.lang.Specification

class RepositoryUrlsSpec extends Specification {

    def "#a and #b name the same repository"() {
        expect:
        RepositoryUrls.sameRepository(a, b)
        RepositoryUrls.sameRepository(b, a)

        where:
        a                                            | b
        'https://github.com/org/repo.git'            | 'https://github.com/org/repo'
        'https://github.com/org/repo.git'            | 'git@github.com:org/repo.git'
        'https://github.com/org/repo'                | 'ssh://git@github.com/org/repo.git'
        'https://GitHub.com/Org/Repo/'               | 'git@github.com:org/repo'
        'https://user:token@github.com/org/repo.git' | 'http://github.com/org/repo'
        'ssh://git@gitlab.example.com:2222/g/sub/p.git' | 'https://gitlab.example.com/g/sub/p'
        'git://github.com/org/repo.git'              | 'https://github.com/org/repo.git/'
        'file:///srv/git/app.git'                    | '/srv/git/app.git'
        'file:///srv/git/app.git'                    | 'file:/srv/git/app'
        'https://[::1]:8443/org/repo.git'            | 'https://[::1]/org/repo'
        'ssh://git@github.com:22/org/repo'           | 'https://github.com/org/repo/'
        'git@github.com:org/repo.git'                | 'ssh://git@GITHUB.COM:22/org/repo.git/'
        'https://www.bitbucket.org/team/repo.git'    | 'git@bitbucket.org:team/repo.git'
        'https://Bitbucket.org/Team/Repo'            | 'https://bitbucket.org/team/repo.git/'
        'FILE:///tmp/x/app/'                         | 'file:///tmp/x/app'
        'File:/tmp/x/app.git'                        | '/tmp/x/app'
        'HTTPS://GitHub.com/org/repo'                | 'git@github.com:org/repo.git'
        'SSH://git@GITHUB.COM:22/org/repo.git'       | 'https://github.com/org/repo'
        'Git://github.com/org/repo.git'              | 'https://github.com/org/repo'
    }

    def "a Bitbucket Data Center key and slug match the repository on any host, under /scm/ for https"() {
        expect:
        RepositoryUrls.sameRepository(RepositoryUrls.anyHost('proj/repo'), url) == same

        where:
        url                                                   | same
        'https://bitbucket.example.com/scm/proj/repo.git'     | true
        'ssh://git@bitbucket.example.com:7999/proj/repo.git'  | true
        'https://bitbucket.example.com/scm/PROJ/Repo'         | true
        'https://bitbucket.example.com/other/proj/repo.git'   | false
        'https://bitbucket.example.com/scm/proj/repo2.git'    | false
    }

    def "#a and #b are different repositories"() {
        expect:
        !RepositoryUrls.sameRepository(a, b)

        where:
        a                                  | b
        'https://github.com/org/repo.git'  | 'https://github.com/org/repo2.git'
        'https://github.com/org/repo.git'  | 'https://gitlab.com/org/repo.git'
        'https://github.com/org/repo.git'  | 'https://github.com/other/repo.git'
        'git@github.com:org/repo.git'      | 'git@github.com:org/repo/sub.git'
        'file:///srv/git/App.git'          | 'file:///srv/git/app.git'
        'https://github.com/org/repo.git'  | ''
        null                               | null
        'https://github.com'               | 'https://github.com/'
    }

    def "normalise gives a comparison key"() {
        expect:
        RepositoryUrls.normalise('git@GitHub.com:Org/Repo.git') == Optional.of('github.com/org/repo')
        RepositoryUrls.normalise('file:///srv/app.git') == Optional.of('file:/srv/app')
        RepositoryUrls.normalise('FILE:///tmp/x/app/') == Optional.of('file:/tmp/x/app')
        RepositoryUrls.normalise('  ') == Optional.empty()
        RepositoryUrls.matchesAny('https://github.com/org/repo', ['x', 'git@github.com:org/repo.git'])
    }
}
