package io.stoker.server.git

import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermission
import java.util.concurrent.Callable
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

import static io.stoker.server.git.TestRepo.exec
import static io.stoker.server.git.TestRepo.link

class GitMirrorsSpec extends Specification {

    @TempDir
    Path tmp

    @AutoCleanup
    TestRepo source

    GitMirrors mirrors

    def setup() {
        source = TestRepo.create(tmp.resolve('repos/app.git'))
        mirrors = new GitMirrors(tmp.resolve('mirrors'))
    }

    def "a sync over file:// mirrors the branches, and a later sync sees new commits"() {
        given:
        def first = source.commit('main', 'first', [Jobfile: 'job "a" {}'])

        when:
        def result = mirrors.sync('app', source.url(), null)

        then:
        result.branches() == [main: first]
        mirrors.resolve('app', 'main') == first

        when:
        def second = source.commit('main', 'second', [Jobfile: 'job "b" {}'])
        def feature = source.commit('feature/x', 'feature', [README: 'x'])
        mirrors.sync('app', source.url(), null)

        then:
        mirrors.resolve('app', 'main') == second
        mirrors.resolve('app', 'feature/x') == feature
        mirrors.readFile('app', first, 'Jobfile') == Optional.of('job "a" {}')
        mirrors.readFile('app', second, 'Jobfile') == Optional.of('job "b" {}')
    }

    def "a sync waits while another server of the cluster syncs the same mirror (its lock file held)"() {
        given: 'another process holds the mirror\'s lock (python\'s lockf is the same POSIX lock as the JVM\'s)'
        def first = source.commit('main', 'first', [Jobfile: 'job "a" {}'])
        Path lockFile = tmp.resolve("mirrors/.locks/${mirrors.mirrorDir('app').fileName}.lock")
        Files.createDirectories(lockFile.parent)
        def holder = new ProcessBuilder('python3', '-c', 'import fcntl, sys; f = open(sys.argv[1], "a"); '
                + 'fcntl.lockf(f, fcntl.LOCK_EX); print("locked", flush=True); sys.stdin.read()', lockFile.toString())
                .redirectErrorStream(true).start()
        assert holder.inputStream.newReader().readLine() == 'locked'
        def pool = Executors.newSingleThreadExecutor()

        when: 'this server syncs meanwhile'
        def sync = pool.submit({ mirrors.sync('app', source.url(), null) } as Callable)
        sync.get(1, TimeUnit.SECONDS)

        then: 'it waits'
        thrown(java.util.concurrent.TimeoutException)

        when: 'the other server is done'
        holder.outputStream.close()

        then: 'the sync goes on'
        sync.get(30, TimeUnit.SECONDS).branches() == [main: first]

        cleanup:
        holder?.destroyForcibly()
        pool?.shutdownNow()
    }

    def "the default branch is the one the repository's HEAD names, and follows it when it changes"() {
        given: 'a repository whose HEAD is master, as git init makes it on many machines'
        source.commit('master', 'first', [Jobfile: 'job "a" {}'])
        source.commit('main', 'other', [Jobfile: 'job "b" {}'])
        org.eclipse.jgit.lib.RefUpdate.Result linked = source.repo.updateRef('HEAD').link('refs/heads/master')

        when:
        mirrors.sync('app', source.url(), null)

        then:
        linked in [org.eclipse.jgit.lib.RefUpdate.Result.FORCED, org.eclipse.jgit.lib.RefUpdate.Result.NEW]
        mirrors.defaultBranch('app') == 'master'

        when: 'upstream renames its default'
        source.repo.updateRef('HEAD').link('refs/heads/main')
        mirrors.sync('app', source.url(), null)

        then:
        mirrors.defaultBranch('app') == 'main'
    }

    def "a sync prunes branches and tags deleted upstream"() {
        given:
        def c = source.commit('main', 'first', [a: '1'])
        source.commit('gone', 'temp', [b: '2'])
        source.tag('v1', c)
        mirrors.sync('app', source.url(), null)

        when:
        source.deleteBranch('gone')
        source.repo.updateRef('refs/tags/v1').with { forceUpdate = true; delete() }
        def result = mirrors.sync('app', source.url(), null)

        then:
        result.branches().keySet() == ['main'] as Set
        result.tags().isEmpty()
    }

    def "resolve accepts branches, lightweight and annotated tags, full ref names and (abbreviated) SHAs"() {
        given:
        def one = source.commit('main', 'one', [a: '1'])
        def two = source.commit('main', 'two', [a: '2'])
        source.tag('v1', one)
        source.tag('v2', two, true)
        mirrors.sync('app', source.url(), null)

        expect:
        mirrors.resolve('app', 'main') == two
        mirrors.resolve('app', 'v1') == one
        mirrors.resolve('app', 'v2') == two
        mirrors.resolve('app', 'refs/heads/main') == two
        mirrors.resolve('app', one) == one
        mirrors.resolve('app', one.substring(0, 10)) == one
        mirrors.resolve('app', one.toUpperCase()) == one
        mirrors.sync('app', source.url(), null).tags() == [v1: one, v2: two]
    }

    def "an unknown ref is a clear error naming the project and the ref"() {
        given:
        source.commit('main', 'one', [a: '1'])
        mirrors.sync('app', source.url(), null)

        when:
        mirrors.resolve('app', ref)

        then:
        def e = thrown(UnknownRefException)
        e.message == "project 'app': no branch, tag or commit named '${ref}' in its repository"

        where:
        ref << ['nope', 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeef', 'abc1', 'HEAD~1']
    }

    def "a repository without commits says so, for its default branch and for a branch named"() {
        given: 'a repository just created, nothing pushed'
        mirrors.sync('app', source.url(), null)

        when:
        mirrors.defaultBranch('app')

        then:
        def e = thrown(UnknownRefException)
        e.message == "project 'app': the repository has no commits yet (push one with a Jobfile)"

        when:
        mirrors.resolve('app', 'main')

        then:
        def named = thrown(UnknownRefException)
        named.message == e.message
        named.ref() == 'main'
    }

    def "reading from a project that was never synced says so"() {
        when:
        mirrors.resolve('other', 'main')

        then:
        def e = thrown(GitMirrorException)
        e.message == "project 'other' has no git mirror yet (it was never synced)"
    }

    def "fetching from a URL that does not exist fails clearly and leaves no half-made mirror"() {
        when:
        mirrors.sync('app', tmp.resolve('missing.git').toUri().toString(), null)

        then:
        def e = thrown(GitMirrorException)
        e.message.startsWith("project 'app': cannot fetch file:")
        !mirrors.exists('app')
    }

    def "readJobfile returns the first of Jobfile, Jobfile.yaml, Jobfile.yml, Jobfile.json that exists at the commit"() {
        given:
        def yamlOnly = source.commit('main', 'yaml', ['Jobfile.yml': 'jobs: {}', 'Jobfile.json': '{}'])
        def both = source.commit('main', 'groovy too', [Jobfile: 'job "x" {}'])
        def none = source.commit('main', 'removed', [Jobfile: null, 'Jobfile.yml': null, 'Jobfile.json': null])
        def dirNamedJobfile = source.commit('main', 'dir', ['Jobfile/x': 'not a file'])
        mirrors.sync('app', source.url(), null)

        expect:
        mirrors.readJobfile('app', yamlOnly) == Optional.of(new JobfileText('Jobfile.yml', 'jobs: {}'))
        mirrors.readJobfile('app', both) == Optional.of(new JobfileText('Jobfile', 'job "x" {}'))
        mirrors.readJobfile('app', none) == Optional.empty()
        mirrors.readJobfile('app', dirNamedJobfile) == Optional.empty()
        mirrors.readFile('app', both, 'missing/file') == Optional.empty()
    }

    def "a Jobfile committed as a symbolic link is read where it points inside the repository"() {
        given:
        def linked = source.commit('main', 'linked', ['ci/Jobfile': 'job "linked" {}', Jobfile: link('ci/Jobfile')])
        def chained = source.commit('main', 'chained', ['ci/current': link('../Jobfile'), Jobfile: link('ci/current')])
        def outside = source.commit('main', 'outside', [Jobfile: link('../../etc/passwd')])
        def absolute = source.commit('main', 'absolute', [Jobfile: link('/etc/passwd')])
        mirrors.sync('app', source.url(), null)

        expect:
        mirrors.readJobfile('app', linked) == Optional.of(new JobfileText('Jobfile', 'job "linked" {}'))

        when: 'the links go round in a circle'
        mirrors.readJobfile('app', chained)

        then:
        def loop = thrown(GitMirrorException)
        loop.message.contains('chain of more than 8 symbolic links')

        when: 'a link leaves the repository'
        mirrors.readJobfile('app', outside)

        then: 'it is refused, naming the link, not read'
        def out = thrown(GitMirrorException)
        out.message == "project 'app': Jobfile is a symbolic link to '../../etc/passwd', outside the repository; " +
                'commit the Jobfile itself or a link to a file of the repository'

        when:
        mirrors.readJobfile('app', absolute)

        then:
        thrown(GitMirrorException)
    }

    def "export writes the tree at a commit with exec bits and symlinks and without .git"() {
        given:
        def old = source.commit('main', 'old', ['build.sh': exec('#!/bin/sh\necho old\n'), 'src/a.txt': 'A'])
        source.commit('main', 'new', ['build.sh': exec('#!/bin/sh\necho new\n'), 'src/b.txt': 'B',
                                      'current': link('src/b.txt'), 'docs/readme.md': '# hi'])
        def head = source.commit('main', 'newer', ['src/a.txt': null])
        mirrors.sync('app', source.url(), null)
        def ws = tmp.resolve('ws')
        def wsOld = tmp.resolve('ws-old')

        when:
        mirrors.export('app', head, ws)
        mirrors.export('app', old, wsOld)

        then:
        files(ws) == ['build.sh', 'current', 'docs', 'docs/readme.md', 'src', 'src/b.txt']
        ws.resolve('build.sh').text == '#!/bin/sh\necho new\n'
        Files.getPosixFilePermissions(ws.resolve('build.sh')).contains(PosixFilePermission.OWNER_EXECUTE)
        !Files.getPosixFilePermissions(ws.resolve('docs/readme.md')).contains(PosixFilePermission.OWNER_EXECUTE)
        Files.isSymbolicLink(ws.resolve('current'))
        Files.readSymbolicLink(ws.resolve('current')).toString() == 'src/b.txt'
        ws.resolve('current').text == 'B'
        files(wsOld) == ['build.sh', 'src', 'src/a.txt']
        ['sh', wsOld.resolve('build.sh').toString()].execute().text == 'old\n'
    }

    def "export applies .gitattributes eol as git checkout does: CRLF where asked, in subdirectories too"() {
        given:
        def head = source.commit('main', 'eol', ['.gitattributes': '*.bat text eol=crlf\n*.sh text eol=lf\n',
                                                 'run.bat': '@echo off\necho hi\n', 'win/deep.bat': 'echo deep\n',
                                                 'build.sh': 'echo sh\n', 'notes.txt': 'plain\n'])
        mirrors.sync('app', source.url(), null)
        def ws = tmp.resolve('ws')

        when:
        mirrors.export('app', head, ws)

        then:
        ws.resolve('run.bat').text == '@echo off\r\necho hi\r\n'
        ws.resolve('win/deep.bat').text == 'echo deep\r\n'
        ws.resolve('build.sh').text == 'echo sh\n'
        ws.resolve('notes.txt').text == 'plain\n'
    }

    def "export refuses a tree that would write into .git, which a hostile remote can send"() {
        given: 'a commit whose tree holds a ".git" directory, made by hand (git and DirCache refuse such paths)'
        def repo = source.repo
        String commit
        repo.newObjectInserter().withCloseable { ins ->
            def hook = ins.insert(org.eclipse.jgit.lib.Constants.OBJ_BLOB, 'evil'.bytes)
            def inner = new org.eclipse.jgit.lib.TreeFormatter()
            inner.append('config', org.eclipse.jgit.lib.FileMode.REGULAR_FILE, hook)
            def innerId = ins.insert(inner)
            def top = new org.eclipse.jgit.lib.TreeFormatter()
            top.append('.git', org.eclipse.jgit.lib.FileMode.TREE, innerId)
            def cb = new org.eclipse.jgit.lib.CommitBuilder()
            cb.treeId = ins.insert(top)
            cb.author = cb.committer = new org.eclipse.jgit.lib.PersonIdent('x', 'x@example.com')
            cb.message = 'hostile'
            commit = ins.insert(cb).name()
            ins.flush()
        }
        def u = repo.updateRef('refs/heads/main')
        u.newObjectId = org.eclipse.jgit.lib.ObjectId.fromString(commit)
        u.forceUpdate = true
        u.update()
        mirrors.sync('app', source.url(), null)

        when:
        mirrors.export('app', commit, tmp.resolve('ws'))

        then:
        def e = thrown(GitMirrorException)
        e.message.contains('unsafe path in tree: .git')
        !Files.exists(tmp.resolve('ws/.git/config'))
    }

    def "delete removes a project's mirror"() {
        given:
        source.commit('main', 'one', [a: '1'])
        mirrors.sync('app', source.url(), null)

        when:
        mirrors.delete('app')
        mirrors.delete('never-synced')

        then:
        !mirrors.exists('app')
        !Files.exists(mirrors.mirrorDir('app'))
    }

    def "export refuses a directory that is not empty"() {
        given:
        def c = source.commit('main', 'one', [a: '1'])
        mirrors.sync('app', source.url(), null)
        def ws = Files.createDirectories(tmp.resolve('ws'))
        ws.resolve('left-over').text = 'x'

        when:
        mirrors.export('app', c, ws)

        then:
        def e = thrown(GitMirrorException)
        e.message.contains('not empty')
    }

    def "mirror directories are distinct and safe for any project name"() {
        given:
        def names = ['app', 'App', '../../etc', 'a/b', 'a_b', '.hidden', 'ünï cødé', 'x' * 300]

        expect:
        names.collect { mirrors.mirrorDir(it) }.toSet().size() == names.size()
        names.every { mirrors.mirrorDir(it).parent == tmp.resolve('mirrors').toAbsolutePath() }
        names.every { mirrors.mirrorDir(it).fileName.toString() ==~ /[A-Za-z0-9_][A-Za-z0-9._-]*\.git/ }
    }

    def "concurrent syncs of one project all succeed and leave a consistent mirror"() {
        given:
        def head = null
        5.times { head = source.commit('main', "c$it", [f: "$it"]) }
        20.times { source.commit("b$it", "branch $it", [g: "$it"]) }
        def pool = Executors.newFixedThreadPool(6)

        when:
        def futures = (1..12).collect { pool.submit({ mirrors.sync('app', source.url(), null) } as Callable) }
        def results = futures.collect { it.get(60, TimeUnit.SECONDS) }

        then:
        results.every { it.branches().size() == 21 && it.branches().main == head }
        mirrors.resolve('app', 'main') == head
        mirrors.readFile('app', head, 'f') == Optional.of('4')

        cleanup:
        pool.shutdownNow()
    }

    def "credentials never show their secret"() {
        expect:
        !new GitCredentials('bot', 's3cret').toString().contains('s3cret')
        GitMirrors.redact('cannot fetch https://bot:s3cret@host/x.git') == 'cannot fetch https://bot:***@host/x.git'
    }

    def "a message never shows a token written as the user name of an http(s) URL"() {
        expect:
        GitMirrors.redact(text) == shown

        where:
        text                                                              || shown
        'cannot fetch https://ghp_abc123@github.com/o/r.git: not found'   || 'cannot fetch https://***@github.com/o/r.git: not found'
        'HTTP://glpat-XYZ@gitlab.example/o/r.git'                         || 'HTTP://***@gitlab.example/o/r.git'
        'https://ghp_a@h/x.git and https://bot:pw@h/y.git'                || 'https://***@h/x.git and https://bot:***@h/y.git'
        'ssh://git@host/x.git, git@host:x.git'                            || 'ssh://git@host/x.git, git@host:x.git'
    }

    private static List<String> files(Path dir) {
        def all = []
        Files.walk(dir).withCloseable { s -> s.filter { it != dir }.forEach { all << dir.relativize(it).toString() } }
        all.sort()
    }

    def "the repository URL tasks see (STOKER_REPO_URL) carries no credentials: #url"() {
        expect:
        GitMirrors.withoutCredentials(url) == shown

        where:
        url                                    || shown
        'https://user:t0ken@host/o/r.git'      || 'https://host/o/r.git'
        'https://t0ken@host/o/r.git'           || 'https://host/o/r.git'
        'ssh://git:secret@host:22/o/r'         || 'ssh://git@host:22/o/r'
        'ssh://git@host/o/r'                   || 'ssh://git@host/o/r'
        'git@host:o/r.git'                     || 'git@host:o/r.git'
        'file:///srv/repos/r.git'              || 'file:///srv/repos/r.git'
    }
}
