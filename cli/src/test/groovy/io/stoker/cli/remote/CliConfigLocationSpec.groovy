package io.stoker.cli.remote

import spock.lang.Specification

import java.nio.file.Path

/** Where {@code stoker login} keeps its token: the places a shell user would look for it. */
class CliConfigLocationSpec extends Specification {

    def "STOKER_CLI_CONFIG names the file itself"() {
        expect:
        CliConfig.location([STOKER_CLI_CONFIG: '/etc/x/cli.json', XDG_CONFIG_HOME: '/xdg', HOME: '/h']) == Path.of('/etc/x/cli.json')
    }

    def "XDG_CONFIG_HOME comes before HOME"() {
        expect:
        CliConfig.location([XDG_CONFIG_HOME: '/xdg', HOME: '/h']) == Path.of('/xdg/stoker/config.json')
    }

    def 'otherwise the file is under $HOME, as ~ means in the shell (not the password file\'s home)'() {
        expect:
        CliConfig.location([HOME: '/tmp/someone']) == Path.of('/tmp/someone/.config/stoker/config.json')
    }

    def "without HOME the JVM's home is used"() {
        expect:
        CliConfig.location([:]) == Path.of(System.getProperty('user.home'), '.config', 'stoker', 'config.json')
    }
}
