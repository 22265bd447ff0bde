package io.stoker.dsl.validate

import io.stoker.dsl.CompileResult
import io.stoker.dsl.JobfileCompiler
import spock.lang.Specification

/**
 * A matrix axis may be named as GitHub Actions users name them ({@code node-version}), and a wrong axis name is told
 * once, without making up problems in the tasks around it.
 */
class MatrixAxisNameSpec extends Specification {

    def compiler = new JobfileCompiler()

    def "an axis named node-version makes cells, its template and its MATRIX_NODE_VERSION variable: #file"() {
        when:
        def result = compiler.compile(file, text)

        then:
        result instanceof CompileResult.Compiled
        result.jobfile().jobs()[0].tasks()*.name() == ['build', 'test[os=linux,node-version=18]',
                'test[os=linux,node-version=20]', 'deploy']
        result.jobfile().jobs()[0].tasks()[1].matrix() == [os: 'linux', 'node-version': '18']

        where:
        file           | text
        'Jobfile'      | '''
job('j') {
  task('build') { sh 'echo "v=1" >> "$STOKER_OUTPUT"' }
  task('test') {
    needs 'build'
    matrix os: ['linux'], 'node-version': ['18', '20']
    sh 'echo "$MATRIX_NODE_VERSION ${{ matrix.node-version }} ${{ outputs.build.v }}"'
  }
  task('deploy') { needs 'test[os=linux,node-version=20]'; sh 'echo ${{ outputs[\\'test[os=linux,node-version=20]\\'].v }}' }
}'''
        'Jobfile.yaml' | '''
jobs:
  j:
    tasks:
      build: {sh: 'echo "v=1" >> "$STOKER_OUTPUT"'}
      test:
        needs: [build]
        matrix: {os: [linux], node-version: [18, 20]}
        sh: 'echo "$MATRIX_NODE_VERSION ${{ matrix.node-version }} ${{ outputs.build.v }}"'
      deploy: {needs: ['test[os=linux,node-version=20]'], sh: echo deploy}
'''
    }

    def "a wrong axis name is the only problem told, not the needs and outputs of the task and of those needing its cells"() {
        when:
        def result = compiler.compile('Jobfile', '''\
job('j') {
  task('build') { sh 'echo "v=1" >> "$STOKER_OUTPUT"' }
  task('test') {
    needs 'build'
    matrix '1os': ['linux', 'mac']
    sh 'echo ${{ outputs.build.v }}'
  }
  task('deploy') { needs 'test[1os=linux]'; sh 'echo deploy' }
}''')

        then:
        result instanceof CompileResult.Rejected
        result.diagnostics().findAll { it.isError() }*.toString() == [
                "Jobfile:5:5: matrix axis name '1os' must start with a letter or '_' and hold only letters, digits, '_' and '-'"]
    }

    def "two axes that would set the same MATRIX_ variable are refused"() {
        when:
        def result = compiler.compile('Jobfile', '''\
job('j') {
  task('test') { matrix 'node-version': ['18'], node_version: ['20']; sh 'echo $MATRIX_NODE_VERSION' }
}''')

        then:
        result instanceof CompileResult.Rejected
        result.diagnostics().findAll { it.isError() }*.toString() == [
                "Jobfile:2:18: matrix axis 'node_version' of task 'test' has the same variable \$MATRIX_NODE_VERSION as another axis: rename one"]
    }
}
