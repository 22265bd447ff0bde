package io.stoker.dsl.validate

import io.stoker.dsl.CompileResult
import io.stoker.dsl.JobfileCompiler
import spock.lang.Specification

/** A matrix's exclude leaves out the cells it matches, in Groovy and YAML alike, as GitHub Actions' exclude does. */
class MatrixExcludeSpec extends Specification {

    def compiler = new JobfileCompiler()

    List<String> cells(String file, String text) {
        def result = compiler.compile(file, text)
        assert result instanceof CompileResult.Compiled: result.diagnostics()*.toString()
        result.jobfile().jobs()[0].tasks()*.name()
    }

    List<String> problems(String file, String text) {
        def result = compiler.compile(file, text)
        assert result instanceof CompileResult.Rejected
        result.diagnostics().findAll { it.isError() }*.toString()
    }

    def "a Groovy matrix with exclude has every cell but the excluded ones, in the written order"() {
        expect:
        cells('Jobfile', '''
job('j') {
  task('test') {
    matrix jdk: ['17', '21', '25'], db: ['h2', 'pg'], exclude: [[jdk: '17', db: 'pg'], [jdk: '25']]
    sh 'echo ${{ matrix.jdk }} ${{ matrix.db }}'
  }
  task('after') { needs 'test'; sh 'true' }
}''') == ['test[jdk=17,db=h2]', 'test[jdk=21,db=h2]', 'test[jdk=21,db=pg]', 'after']
    }

    def "a YAML matrix takes exclude as a list of maps or one map, numbers and booleans as written"() {
        expect:
        cells('Jobfile.yaml', '''
jobs:
  j:
    tasks:
      test:
        matrix: {jdk: [17, 21], fast: [true, false], exclude: [{jdk: 17, fast: false}]}
        sh: echo ${{ matrix.jdk }}
''') == ['test[jdk=17,fast=true]', 'test[jdk=21,fast=true]', 'test[jdk=21,fast=false]']
        cells('Jobfile.yaml', '''
jobs:
  j:
    tasks:
      test:
        matrix: {os: [linux, mac], exclude: {os: mac}}
        sh: echo ${{ matrix.os }}
''') == ['test[os=linux]']
    }

    def "an axis that happens to be named exclude, holding plain values, is still an axis"() {
        expect:
        cells('Jobfile', "job('j') { task('t') { matrix exclude: ['a', 'b']; sh 'echo \${{ matrix.exclude }}' } }") ==
                ['t[exclude=a]', 't[exclude=b]']
    }

    def "an excluded cell cannot be needed, and a mistaken exclude is told at its line"() {
        expect:
        problems('Jobfile', text) == [expected]

        where:
        text                                                                                                                   || expected
        "job('j') {\n  task('t') { matrix jdk: ['17', '21'], exclude: [[jdk: '17']]; sh 'x' }\n  task('u') { needs 't[jdk=17]'; sh 'y' }\n}" || "Jobfile:3:15: unknown cell 't[jdk=17]' in needs — did you mean 't[jdk=21]'?"
        "job('j') {\n  task('t') { matrix jdk: ['17', '21'], exclude: [[jdj: '17']]; sh 'x' }\n}"                            || "Jobfile:2:15: matrix exclude of task 't' names axis 'jdj', which the matrix does not have (axes: jdk)"
        "job('j') {\n  task('t') { matrix jdk: ['17', '21'], exclude: [[jdk: '11']]; sh 'x' }\n}"                            || "Jobfile:2:15: matrix exclude of task 't' names jdk='11', which axis 'jdk' does not hold (values: 17, 21)"
        "job('j') {\n  task('t') { matrix jdk: ['17'], exclude: [[jdk: '17']]; sh 'x' }\n}"                                  || "Jobfile:2:15: the matrix exclude of task 't' leaves out every cell"
    }

    def "GitHub Actions' matrix include is told once that it is not supported, with what to write instead: #file"() {
        expect:
        problems(file, text) == ["$file:$where: matrix include (GitHub Actions' extra cells) is not supported: add its values to the axes and leave out the cells you do not want with exclude, or write the extra cell as a task of its own".toString()]

        where:
        file           | where  | text
        'Jobfile'      | '3:5'  | "job('j') {\n  task('t') {\n    matrix node: [18, 20], include: [[node: 22, experimental: true], [node: 23]]\n    sh 'x'\n  }\n}"
        'Jobfile.yaml' | '7:20' | "jobs:\n  j:\n    tasks:\n      t:\n        matrix:\n          node: [18, 20]\n          include: [{node: 22, experimental: true}, {node: 23}]\n        sh: x\n"
    }
}
