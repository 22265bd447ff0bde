package io.stoker.dsl.yaml

import io.stoker.dsl.JobfileCompiler
import spock.lang.Specification

/** A Jobfile text given without a file name (inline on the server) is read in the syntax it is written in. */
class SyntaxGuessSpec extends Specification {

    def "a Jobfile text without a file name is read as #syntax"() {
        expect:
        JobfileCompiler.Syntax.guess(text) == syntax

        where:
        text                                                      || syntax
        "job('a') { task('t') { sh 'x' } }"                       || JobfileCompiler.Syntax.GROOVY
        "// jobs: comment\njob('a') { task('t') { sh 'x' } }"     || JobfileCompiler.Syntax.GROOVY
        "#!/usr/bin/env stoker\njob('a') {}"                      || JobfileCompiler.Syntax.GROOVY
        "jobs:\n  a:\n    tasks: {}\n"                            || JobfileCompiler.Syntax.YAML
        "# CI for the site\n\n---\njobs:\n  a: {}\n"              || JobfileCompiler.Syntax.YAML
        "\"jobs\": {}\n"                                          || JobfileCompiler.Syntax.YAML
        "stages: [build]\nbuild:\n  script: make\n"              || JobfileCompiler.Syntax.YAML
        "# GitHub\nname: CI\non: [push]\n"                        || JobfileCompiler.Syntax.YAML
        "'on' :\n  push: {}\n"                                   || JobfileCompiler.Syntax.YAML
        "def x = 'a'\njob(x) {}"                                 || JobfileCompiler.Syntax.GROOVY
        "params { string('A') }\njob('a') {}"                    || JobfileCompiler.Syntax.GROOVY
        "  {\"jobs\": {}}"                                        || JobfileCompiler.Syntax.JSON
        ""                                                        || JobfileCompiler.Syntax.GROOVY
        null                                                      || JobfileCompiler.Syntax.GROOVY
    }

    def "a GitLab CI file sent without a file name is named as one, not answered with Groovy errors"() {
        when:
        def text = "stages: [build]\nbuild:\n  stage: build\n  script: make\n"
        def result = new JobfileCompiler().compile(JobfileCompiler.Syntax.guess(text).fileName(), text)

        then:
        result instanceof io.stoker.dsl.CompileResult.Rejected
        result.diagnostics()*.message().any { it.contains('GitLab CI') }
    }

    def "the guessed syntax names the file its diagnostics print"() {
        expect:
        JobfileCompiler.Syntax.guess('{"jobs": {}}').fileName() == 'Jobfile.json'
        JobfileCompiler.Syntax.of(JobfileCompiler.Syntax.YAML.fileName()) == JobfileCompiler.Syntax.YAML
    }
}
