package io.stoker.server.forge

import io.stoker.model.Pos
import io.stoker.model.Triggers
import spock.lang.Specification

class BranchFilterSpec extends Specification {

    def "branch #branch against #globs matches: #matches"() {
        expect:
        BranchFilter.matches(globs, branch) == matches

        where:
        globs                     | branch               | matches
        []                        | 'anything/at/all'    | true
        null                      | 'main'               | true
        ['main']                  | 'main'               | true
        ['main']                  | 'main2'              | false
        ['main']                  | 'refs/heads/main'    | true
        ['refs/heads/main']       | 'main'               | true
        ['main', 'release/*']     | 'release/1.0'        | true
        ['release/*']             | 'release/1.0/hotfix' | false
        ['release/**']            | 'release/1.0/hotfix' | true
        ['release/**']            | 'release'            | false
        ['**/fix']                | 'fix'                | true
        ['**/fix']                | 'a/b/fix'            | true
        ['feature-*']             | 'feature-x'          | true
        ['feature-*']             | 'feature-x/y'        | false
        ['*']                     | 'main'               | true
        ['*']                     | 'a/b'                | false
        ['**']                    | 'a/b'                | true
        ['v?.x']                  | 'v1.x'               | true
        ['v?.x']                  | 'v1.y'               | false
        ['a.b']                   | 'axb'                | false
        ['(main)']                | '(main)'             | true
        ['main']                  | null                 | false
    }

    def "a push trigger of branches #branches and tags #tags takes branch main: #branch, tag v1.2: #tag"() {
        given:
        def push = new Triggers.Push(branches, tags, [], [], new Pos(1, 1))

        expect:
        BranchFilter.takes(push, 'main') == branch
        BranchFilter.takesTag(push, 'v1.2') == tag
        BranchFilter.takesTag(push, 'refs/tags/v1.2') == tag

        where:
        branches   | tags                | branch | tag
        []         | []                  | true   | false
        ['main']   | []                  | true   | false
        []         | ['v*']              | false  | true
        ['main']   | ['v*']              | true   | true
        []         | ['release-*']       | false  | false
        []         | ['refs/tags/v1.*']  | false  | true
        ['dev']    | ['v?.?', 'nightly'] | false  | true
    }
}
