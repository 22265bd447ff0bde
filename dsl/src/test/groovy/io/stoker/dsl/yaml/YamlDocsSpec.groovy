package io.stoker.dsl.yaml

import io.stoker.dsl.CompileResult
import io.stoker.dsl.JobfileCompiler
import spock.lang.Specification

import java.nio.file.Files
import java.nio.file.Path

class YamlDocsSpec extends Specification {

    def "the full example in docs/jobfile-yaml.md compiles without warnings"() {
        given:
        def doc = Files.readString(Path.of('..', 'docs', 'jobfile-yaml.md'))
        def example = (doc =~ /(?s)```yaml\n(.*?)```/)[0][1] as String

        when:
        def result = new JobfileCompiler().compile('Jobfile.yaml', example)

        then:
        result.diagnostics() == []
        result instanceof CompileResult.Compiled
        def job = result.jobfile().job('web').get()
        job.tasks()*.name() == ['gen', 'sum', 'version', 'test[jdk=17,db=h2]', 'test[jdk=17,db=pg]', 'test[jdk=21,db=h2]',
                                'test[jdk=21,db=pg]', 'build', 'deploy', 'cleanup', 'release']
        job.task('build').get().needs() == ['version', 'test[jdk=17,db=h2]']
        job.task('build').get().agent() == 'linux && x64'
        job.task('cleanup').get().allowFailure()
        !job.task('deploy').get().allowFailure()
        job.task('release').get().steps()[1] == new io.stoker.model.Step.Trigger('other',
                [NAME: '${{ outputs.version.version }}'], true, new io.stoker.model.Pos(53, 13))
        job.task('test[jdk=21,db=pg]').get().artifactsWhen() == io.stoker.model.ArtifactsWhen.ALWAYS
        job.task('build').get().artifactsWhen() == io.stoker.model.ArtifactsWhen.ON_SUCCESS
        job.task('build').get().cache() == new io.stoker.model.Cache('deps', ['.m2/repository'], ['**/pom.xml'])
    }
}
