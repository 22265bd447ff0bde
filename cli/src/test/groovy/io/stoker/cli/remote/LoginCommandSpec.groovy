package io.stoker.cli.remote

import io.stoker.cli.CliRun
import io.stoker.cli.Main
import spock.lang.Shared
import spock.lang.Stepwise
import spock.lang.TempDir

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions
import java.util.concurrent.TimeUnit

/**
 * {@code stoker login}, the saved config and the commands that use it, as a user runs them: the CLI as its own
 * process with its own environment and stdin, against a real server.
 */
@Stepwise
class LoginCommandSpec extends RemoteCliSpecification {
    @Shared @TempDir Path home
    @Shared Path config

    @Override
    int slots() {
        1
    }

    def setupSpec() {
        config = home.resolve('cfg/stoker/config.json')
    }

    /** Runs the CLI as a process with {@code stdin} and the config in the temp dir; [exit, out, err]. */
    Map cli(Map<String, String> env = [:], String stdin = '', String... args) {
        def pb = new ProcessBuilder([Path.of(System.getProperty('java.home'), 'bin', 'java').toString(),
                                     '-XX:TieredStopAtLevel=1', '-cp', System.getProperty('java.class.path'), Main.name] + args.toList())
        pb.environment().remove('STOKER_SERVER')
        pb.environment().remove('STOKER_TOKEN')
        pb.environment().putAll([STOKER_CLI_CONFIG: config.toString(), HOME: home.toString()] + env)
        def err = home.resolve('err.txt')
        pb.redirectError(err.toFile())
        def p = pb.start()
        p.outputStream.withCloseable { it.write(stdin.getBytes('UTF-8')) }
        def out = p.inputStream.text
        assert p.waitFor(60, TimeUnit.SECONDS)
        [exit: p.exitValue(), out: out, err: err.text]
    }

    Map saved() {
        new com.fasterxml.jackson.databind.ObjectMapper().readValue(config.toFile(), Map)
    }

    int status(String path, String token) {
        def b = HttpRequest.newBuilder(URI.create(server.url() + '/api/v1' + path))
        if (token) b.header('Authorization', 'Bearer ' + token)
        HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode()
    }

    def "a wrong password is one line, exit 2, and writes nothing"() {
        when:
        def r = cli([:], "not-the-password\n", 'login', '--server', server.url(), '-u', 'admin', '--password-stdin')

        then:
        r.exit == 2
        r.err.trim() == "stoker: invalid credentials for admin at ${server.url()}".toString()
        !Files.exists(config)
    }

    def "--password-stdin with nothing on stdin says so in one line, exit 2"() {
        when:
        def r = cli([:], '', 'login', '--server', server.url(), '-u', 'admin', '--password-stdin')

        then:
        r.exit == 2
        r.err.trim() == 'stoker: no password on stdin (--password-stdin reads its first line)'
        !Files.exists(config)
    }

    def "login saves an API token with the server URL in a 0600 file in a 0700 directory"() {
        when:
        def r = cli([:], ADMIN_PASSWORD + "\n", 'login', '--server', server.url(), '-u', 'admin', '--password-stdin')

        then:
        r.exit == 0
        r.out.startsWith("logged in to ${server.url()} as admin (API token 'cli@".toString())
        PosixFilePermissions.toString(Files.getPosixFilePermissions(config)) == 'rw-------'
        PosixFilePermissions.toString(Files.getPosixFilePermissions(config.parent)) == 'rwx------'
        def saved = saved()
        saved.server == server.url()
        saved.servers[server.url()].user == 'admin'
        saved.servers[server.url()].token.startsWith('stk_')
        status('/me', saved.servers[server.url()].token) == 200
    }

    def "later commands find the server and token in the config"() {
        when:
        def add = cli([:], "a-long-enough-password\n", 'user', 'add', 'bob', '--role', 'viewer', '--password-stdin')
        def list = cli([:], '', 'user', 'list')
        def tokens = cli([:], '', 'token', 'list')

        then:
        add.exit == 0
        add.out.trim() == 'added user bob (viewer)'
        list.exit == 0
        list.out.readLines().any { it ==~ /bob\s+viewer\s+yes\s+.*/ }
        tokens.out.contains('cli@')
    }

    def "user add refuses a role or name the server would refuse before it asks for a password"() {
        when: 'no terminal and no --password-stdin: asking would fail, so a refusal first shows it was not asked'
        def role = CliRun.of('user', 'add', 'bob', '--role', 'god', '--server', 'http://127.0.0.1:9', '--token', 'none')
        def name = CliRun.of('user', 'add', 'Bob!', '--role', 'viewer', '--server', 'http://127.0.0.1:9', '--token', 'none')

        then:
        role.exit == 2
        role.err.readLines() == ["stoker: --role must be admin, developer or viewer, not 'god'", "Try 'stoker user add --help' for more information."]
        name.exit == 2
        name.err.readLines()[0] == "stoker: NAME must be 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit, not 'Bob!'"
    }

    def "the CLI's token is named for this machine and the server's address, so each server of a cluster keeps its own"() {
        expect:
        LoginCommand.tokenName('ci-box', URI.create(url)) == name

        where:
        url                              || name
        'http://127.0.0.1:8080'          || 'cli@ci-box@127.0.0.1-8080'
        'https://stoker-b.example.com/'  || 'cli@ci-box@stoker-b.example.com-443'
        'http://[::1]:9000'              || 'cli@ci-box@---1--9000'
    }

    def "logging in again from the same machine replaces the old token"() {
        given:
        String old = saved().servers[server.url()].token

        when:
        def r = cli([:], ADMIN_PASSWORD + "\n", 'login', '--server', server.url(), '-u', 'admin', '--password-stdin')

        then:
        r.exit == 0
        status('/me', old) == 401
    }

    def "STOKER_TOKEN overrides the saved token, and a refused one says how to log in"() {
        when:
        def bob = cli([:], "a-long-enough-password\n", 'login', '--server', server.url(), '-u', 'bob', '--password-stdin')
        def asBob = cli([STOKER_TOKEN: 'stk_wrong'], '', 'jobs')

        then:
        bob.exit == 0
        asBob.exit == 2
        asBob.err.trim().startsWith("stoker: not logged in to ${server.url()}: run `stoker login`".toString())
    }

    def "logout revokes the token on the server and forgets it"() {
        given:
        String token = saved().servers[server.url()].token

        when:
        def r = cli([:], '', 'logout')
        def after = cli([:], '', 'jobs', '--server', server.url())

        then:
        r.exit == 0
        r.out.trim() == "logged out of ${server.url()}".toString()
        status('/me', token) == 401
        !saved().servers.containsKey(server.url())
        after.exit == 2
        after.err.trim() == "stoker: not logged in to ${server.url()}: run `stoker login`".toString()
    }

    def "without a terminal and without --password-stdin, login says what to do"() {
        when:
        def r = cli([:], '', 'login', '--server', server.url(), '-u', 'admin')

        then:
        r.exit == 2
        r.err.trim() == 'stoker: no terminal to ask for the password on: use --password-stdin'
    }
}
