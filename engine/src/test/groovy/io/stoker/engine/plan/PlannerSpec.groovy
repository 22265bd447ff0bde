package io.stoker.engine.plan

import io.stoker.engine.params.ResolvedParameters
import io.stoker.engine.run.RunContext
import spock.lang.Specification

import static io.stoker.engine.fixtures.Jobs.*

class PlannerSpec extends Specification {

    def "the plan lists start levels, pipes, parameters and the when outcomes known before running"() {
        given:
        def j = job('web', [parameters: [bool('DEPLOY')]],
                task('gen', 'seq 1 10'),
                task('sum', [input: 'gen'], 'awk'),
                task('version', 'v'),
                task('build', [needs: ['version']], 'b'),
                task('deploy', [needs: ['build', 'sum'], when: 'params.DEPLOY && run.branch == "main"'], 'd'),
                task('notify', [when: 'params.DEPLOY || run.branch == "main"'], 'n'),
                task('cleanup', [needs: ['deploy'], when: 'always()'], 'c'))

        when:
        def plan = Planner.plan(j, new ResolvedParameters([DEPLOY: false]), RunContext.local('web-1', 1, 'web'))

        then:
        plan.levels() == [['gen', 'sum', 'version', 'notify'], ['build'], ['deploy'], ['cleanup']]
        plan.pipes() == [new Plan.Pipe('gen', 'sum')]
        plan.parameters() == [DEPLOY: false]
        plan.when().gen.verdict() == 'true'
        plan.when().build.verdict() == Plan.WhenDecision.AT_RUN_TIME
        plan.when().deploy.verdict() == 'false'
        plan.when().notify.verdict() == 'false'
        plan.when().cleanup.verdict() == 'true'
    }
}
