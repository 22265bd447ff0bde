package io.stoker.server.git

import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.LinkOption
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions
import java.util.concurrent.Callable
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

import static io.stoker.server.git.TestRepo.exec
import static io.stoker.server.git.TestRepo.link

class CheckoutPoolSpec extends Specification {

    @TempDir
    Path tmp

    @AutoCleanup
    TestRepo source

    GitMirrors mirrors
    CheckoutPool pool

    def cleanup() {
        pool?.close()
    }

    def setup() {
        source = TestRepo.create(tmp.resolve('repos/app.git'))
        mirrors = new GitMirrors(tmp.resolve('data/git'))
        pool = new CheckoutPool(mirrors, tmp.resolve('data/checkouts'), 2)
    }

    /** Every path under {@code dir} but .git: its type, exec bit and content or link target. */
    static Map<String, String> tree(Path dir) {
        Map<String, String> all = new TreeMap<>()
        Files.walk(dir).withCloseable { paths ->
            paths.filter { it != dir && !dir.relativize(it).toString().startsWith('.git') }.each { Path p ->
                String rel = dir.relativize(p).toString()
                if (Files.isSymbolicLink(p)) all[rel] = 'link ' + Files.readSymbolicLink(p)
                else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) all[rel] = 'dir ' + perms(p)
                else all[rel] = 'file ' + perms(p) + ' ' + p.text
            }
        }
        all
    }

    static String perms(Path p) {
        PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS))
    }

    /** The tree a full export of {@code commit} writes, to compare a reused checkout with. */
    Map<String, String> exported(String commit) {
        Path dir = tmp.resolve('expected-' + commit)
        if (!Files.exists(dir)) mirrors.export('app', commit, dir)
        tree(dir)
    }

    static String git(Path dir, String... args) {
        def p = (['git', '-C', dir.toString()] + args.toList()).execute()
        def out = new StringBuilder()
        def err = new StringBuilder()
        p.waitForProcessOutput(out, err)
        assert p.exitValue() == 0: "git ${args.join(' ')}: $err"
        out.toString().trim()
    }

    def "a second run of another commit sees exactly that commit's tree: added, changed, deleted files, modes and symlinks"() {
        given:
        def first = source.commit('main', 'first', ['build.sh': exec('#!/bin/sh\necho one\n'), 'src/a.txt': 'A',
                'src/gone.txt': 'bye', 'docs/old/readme.md': 'old', 'link': link('src/a.txt'), 'mode.sh': 'plain',
                'becomes-dir': 'file', 'same/deep/x.txt': 'x'])
        def second = source.commit('main', 'second', ['build.sh': exec('#!/bin/sh\necho two\n'), 'src/gone.txt': null,
                'src/new.txt': 'new', 'docs/old/readme.md': null, 'link': link('build.sh'), 'mode.sh': exec('plain'),
                'becomes-dir': null, 'becomes-dir/inner.txt': 'inner'])
        mirrors.sync('app', source.url(), null)
        def ws1 = tmp.resolve('data/workspaces/1')
        def ws2 = tmp.resolve('data/workspaces/2')

        when:
        pool.checkout('app', first, 'main', null, ws1)
        def firstTree = tree(ws1)
        def firstInode = Files.getAttribute(ws1.resolve('same/deep/x.txt'), 'unix:ino')
        pool.release(ws1)
        pool.checkout('app', second, 'main', null, ws2)

        then: 'the first run got a full export, the second the kept checkout brought to the new commit'
        firstTree == exported(first)
        tree(ws2) == exported(second)
        !Files.exists(ws1)
        Files.getAttribute(ws2.resolve('same/deep/x.txt'), 'unix:ino') == firstInode
        ['sh', ws2.resolve('build.sh').toString()].execute().text == 'two\n'

        and: 'its .git is at the new commit, shallow, and git status is clean'
        git(ws2, 'rev-parse', 'HEAD') == second
        git(ws2, 'rev-parse', 'refs/heads/main') == second
        git(ws2, 'rev-list', '--count', 'HEAD') == '1'
        git(ws2, 'status', '--porcelain') == ''
        !git(ws2, 'fsck', '--connectivity-only').contains('missing') // the earlier commit may dangle: harmless
    }

    def "a kept checkout brought to a new commit writes its files with the line endings .gitattributes asks"() {
        given:
        def first = source.commit('main', 'first', ['.gitattributes': '*.bat text eol=crlf\n', 'win/a.bat': 'echo a\n'])
        def second = source.commit('main', 'second', ['win/a.bat': 'echo a2\n', 'win/b.bat': 'echo b\n'])
        mirrors.sync('app', source.url(), null)
        def ws1 = tmp.resolve('data/workspaces/eol1')
        def ws2 = tmp.resolve('data/workspaces/eol2')

        when:
        pool.checkout('app', first, 'main', null, ws1)
        pool.release(ws1)
        pool.checkout('app', second, 'main', null, ws2)

        then: 'changed and added files alike, and git status is clean'
        ws2.resolve('win/a.bat').text == 'echo a2\r\n'
        ws2.resolve('win/b.bat').text == 'echo b\r\n'
        git(ws2, 'status', '--porcelain') == ''
    }

    def "files a previous run wrote, changed or removed are gone or restored in the next run's checkout"() {
        given:
        def commit = source.commit('main', 'one', ['src/a.txt': 'A', 'src/b.txt': 'B', 'run.sh': exec('echo hi'),
                'keep/k.txt': 'k', 'dir/inner.txt': 'inner', 'touched.txt': 'same size'])
        mirrors.sync('app', source.url(), null)
        def ws1 = tmp.resolve('data/workspaces/1')
        def ws2 = tmp.resolve('data/workspaces/2')
        pool.checkout('app', commit, 'main', null, ws1)

        when: 'the first run builds, edits, deletes, chmods, swaps a directory for a link and tampers with .git'
        Files.createDirectories(ws1.resolve('target/classes')).resolve('A.class').text = 'bytes'
        ws1.resolve('untracked.txt').text = 'left over'
        ws1.resolve('src/a.txt').text = 'edited'
        Files.delete(ws1.resolve('src/b.txt'))
        Files.setPosixFilePermissions(ws1.resolve('run.sh'), PosixFilePermissions.fromString('rw-------'))
        def mtime = Files.getLastModifiedTime(ws1.resolve('touched.txt'))
        ws1.resolve('touched.txt').text = 'SAME SIZE'
        Files.setLastModifiedTime(ws1.resolve('touched.txt'), mtime) // same size and time: only ctime tells
        def outside = Files.createDirectories(tmp.resolve('outside'))
        outside.resolve('inner.txt').text = 'must not be touched'
        io.stoker.engine.files.FileTrees.delete(ws1.resolve('dir'))
        Files.createSymbolicLink(ws1.resolve('dir'), outside)
        ws1.resolve('.git/hooks').toFile().mkdirs()
        ws1.resolve('.git/hooks/post-checkout').text = '#!/bin/sh\necho planted\n'
        ws1.resolve('.git/config').text = '[core]\n\tfsmonitor = evil\n'
        pool.release(ws1)
        pool.checkout('app', commit, 'main', null, ws2)

        then:
        tree(ws2) == exported(commit)
        !Files.exists(ws2.resolve('.git/hooks/post-checkout'))
        !ws2.resolve('.git/config').text.contains('evil')
        !Files.isSymbolicLink(ws2.resolve('dir'))
        outside.resolve('inner.txt').text == 'must not be touched'
        git(ws2, 'status', '--porcelain', '--ignored') == ''
        git(ws2, 'rev-parse', 'HEAD') == commit
    }

    def "a pack file a run touched makes the next checkout write .git whole"() {
        given:
        def commit = source.commit('main', 'one', ['a.txt': 'A'])
        mirrors.sync('app', source.url(), null)
        def ws1 = tmp.resolve('data/workspaces/1')
        def ws2 = tmp.resolve('data/workspaces/2')
        pool.checkout('app', commit, null, null, ws1)
        Path pack = Files.list(ws1.resolve('.git/objects/pack')).withCloseable { s -> s.filter { it.toString().endsWith('.pack') }.findFirst().get() }
        pack.toFile().setWritable(true)
        pack.bytes = new byte[10]

        when:
        pool.release(ws1)
        pool.checkout('app', commit, null, null, ws2)

        then:
        git(ws2, 'fsck') == ''
        git(ws2, 'rev-parse', 'HEAD') == commit
        git(ws2, 'cat-file', '-p', 'HEAD:a.txt') == 'A'
    }

    def "two runs of a project starting at once get workspaces of their own"() {
        given:
        def one = source.commit('main', 'one', ['a.txt': 'A', 'b/c.txt': 'C'])
        def two = source.commit('main', 'two', ['a.txt': 'A2'])
        mirrors.sync('app', source.url(), null)
        pool.checkout('app', one, null, null, tmp.resolve('data/workspaces/warm'))
        pool.release(tmp.resolve('data/workspaces/warm'))
        def ready = new CountDownLatch(1)
        def executor = Executors.newFixedThreadPool(4)

        when:
        def futures = (1..4).collect { int i ->
            executor.submit({
                ready.await()
                def ws = tmp.resolve("data/workspaces/run$i")
                pool.checkout('app', i % 2 ? one : two, null, null, ws)
                ws.resolve('mine.txt').text = "run $i"
                ws
            } as Callable<Path>)
        }
        ready.countDown()
        def workspaces = futures.collect { it.get(60, TimeUnit.SECONDS) }

        then:
        workspaces.toSet().size() == 4
        workspaces.every { ws ->
            int i = ws.fileName.toString().substring(3) as int
            tree(ws).findAll { k, v -> k != 'mine.txt' } == exported(i % 2 ? one : two) &&
                    ws.resolve('mine.txt').text == "run $i"
        }

        cleanup:
        executor?.shutdownNow()
    }

    def "a workspace the pool did not make is deleted on release, and forget drops a project's kept checkouts"() {
        given:
        def commit = source.commit('main', 'one', ['a.txt': 'A'])
        mirrors.sync('app', source.url(), null)
        def stray = Files.createDirectories(tmp.resolve('data/workspaces/stray'))
        stray.resolve('x').text = 'x'
        def ws = tmp.resolve('data/workspaces/1')
        pool.checkout('app', commit, null, null, ws)

        when:
        pool.release(stray)
        pool.release(ws)
        int kept = keptCheckouts(tmp.resolve('data/checkouts')).size()
        pool.forget('app')

        then:
        !Files.exists(stray)
        !Files.exists(ws)
        kept == 1
        keptCheckouts(tmp.resolve('data/checkouts')).isEmpty()
    }

    def "a server starting on the same data directory keeps the checkouts of servers still running and deletes what others left"() {
        given: 'this server keeps a checkout'
        def commit = source.commit('main', 'one', ['a.txt': 'A'])
        mirrors.sync('app', source.url(), null)
        def root = tmp.resolve('data/checkouts')
        pool.checkout('app', commit, null, null, tmp.resolve('data/workspaces/1'))
        pool.release(tmp.resolve('data/workspaces/1'))
        def kept = keptCheckouts(root)

        and: 'another process holds a directory of its own there (python\'s lockf is the JVM\'s POSIX lock)'
        def theirs = Files.createDirectories(root.resolve('0123abcd'))
        theirs.resolve('x').text = 'x'
        def holder = new ProcessBuilder('python3', '-c', 'import fcntl, sys; f = open(sys.argv[1], "a"); '
                + 'fcntl.lockf(f, fcntl.LOCK_EX); print("locked", flush=True); sys.stdin.read()',
                root.resolve('0123abcd.lock').toString()).redirectErrorStream(true).start()
        assert holder.inputStream.newReader().readLine() == 'locked'

        and: 'an older Stoker left a checkout in the layout without lock files'
        def legacy = Files.createDirectories(root.resolve('7'))
        legacy.resolve('y').text = 'y'

        when: 'a second server starts'
        def second = new CheckoutPool(mirrors, root, 2)

        then: 'what belongs to a running process stays, the older layout\'s leftover goes'
        kept.size() == 1 && kept.every { Files.isDirectory(it) }
        Files.exists(theirs.resolve('x'))
        !Files.exists(legacy)

        when: 'this server\'s next run takes its kept checkout over'
        pool.checkout('app', commit, null, null, tmp.resolve('data/workspaces/2'))

        then:
        !Files.exists(kept[0])
        tmp.resolve('data/workspaces/2/a.txt').text == 'A'

        when: 'the other process and this server stop, and a third server starts'
        holder.outputStream.close()
        holder.waitFor(30, TimeUnit.SECONDS)
        pool.release(tmp.resolve('data/workspaces/2'))
        pool.close()
        def third = new CheckoutPool(mirrors, root, 2)

        then: 'only the second server\'s directory and the third\'s are left'
        !Files.exists(theirs)
        keptCheckouts(root).isEmpty()
        Files.list(root).withCloseable { it.filter { Files.isDirectory(it) }.count() } == 2

        cleanup:
        holder?.destroyForcibly()
        second?.close()
        third?.close()
    }

    /** The checkouts kept under {@code root}: the entries of its owned directories. */
    static List<Path> keptCheckouts(Path root) {
        Files.list(root).withCloseable { owned ->
            owned.filter { Files.isDirectory(it) }.toList().collectMany { dir ->
                Files.list(dir).withCloseable { it.toList() }
            }
        }
    }
}
