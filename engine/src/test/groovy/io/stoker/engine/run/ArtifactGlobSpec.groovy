package io.stoker.engine.run

import io.stoker.engine.exec.local.ArtifactZip
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.util.zip.ZipFile

/**
 * Artifact globs read a double-star-slash step as zero or more directories, wherever it stands, as Ant (Jenkins'
 * archiveArtifacts), GitLab and GitHub Actions do: reports/**&#47;*.xml keeps reports/a.xml as well.
 */
class ArtifactGlobSpec extends Specification {

    @TempDir
    Path ws

    def setup() {
        ['reports/TEST-top.xml', 'reports/unit/TEST-deep.xml', 'reports/notes.txt', 'app/target/surefire/TEST-app.xml',
         'app/target/a.jar', 'lib/target/b.jar', 'target/c.jar'].each { String rel ->
            Files.createDirectories(ws.resolve(rel).parent)
            Files.writeString(ws.resolve(rel), rel)
        }
    }

    def "#glob keeps #expected"() {
        given:
        Path zip = ws.resolveSibling(ws.fileName.toString() + '.zip')

        when:
        ArtifactZip.collect(ws, [glob], zip, { false })

        then:
        names(zip) == expected as Set

        where:
        glob                           || expected
        'reports/**/*.xml'             || ['reports/TEST-top.xml', 'reports/unit/TEST-deep.xml']
        '**/target/*.jar'              || ['app/target/a.jar', 'lib/target/b.jar', 'target/c.jar']
        '**/target/**/TEST-*.xml'      || ['app/target/surefire/TEST-app.xml']
        'app/**/target/**/*.jar'       || ['app/target/a.jar']
    }

    def "a glob naming no file is still told as unmatched"() {
        expect:
        ArtifactZip.unmatched(['reports/**/*.xml', 'docs/**/*.md'], ['reports/a.xml']) == ['docs/**/*.md']
    }

    private static Set<String> names(Path zip) {
        new ZipFile(zip.toFile()).withCloseable { z -> z.entries().collect { it.name } as Set }
    }
}
