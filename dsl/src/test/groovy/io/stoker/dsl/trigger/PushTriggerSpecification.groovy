package io.stoker.dsl.trigger

import io.stoker.dsl.CompileResult
import io.stoker.dsl.JobfileCompiler
import io.stoker.model.Triggers
import spock.lang.Shared
import spock.lang.Specification

/** Compiles Jobfile text and reads its first job's first push trigger, or the errors it has. */
abstract class PushTriggerSpecification extends Specification {

    @Shared
    JobfileCompiler compiler = new JobfileCompiler()

    Triggers.Push push(String file, String text) {
        def result = compiler.compile(file, text)
        assert result instanceof CompileResult.Compiled: result.diagnostics()*.toString()
        result.jobfile().jobs()[0].triggers().push()[0]
    }

    List<String> errors(String file, String text) {
        compiler.compile(file, text).diagnostics().findAll { it.error }*.toString()
    }
}
