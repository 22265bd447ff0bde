package io.stoker.expr

/**
 * An {@link EvalContext} over plain maps, for specs. It records every read, so a spec can see what
 * short-circuiting skipped; with {@code unknownWhenAbsent} it answers like a dry run.
 */
class MapContext implements EvalContext {
    final Map<String, Map<String, Object>> variables
    final Map<String, Map<String, Object>> outputs
    final Map<String, Object> status
    final boolean unknownWhenAbsent
    final List<String> reads = []

    MapContext(Map<String, Map<String, Object>> variables = [:], Map<String, Map<String, Object>> outputs = [:],
               Map<String, Object> status = [success: true, failure: false, cancelled: false],
               boolean unknownWhenAbsent = false) {
        this.variables = variables
        this.outputs = outputs
        this.status = status
        this.unknownWhenAbsent = unknownWhenAbsent
    }

    /** Everything absent is {@link Unknown#VALUE}, including the status functions: a dry run. */
    static MapContext dryRun(Map<String, Map<String, Object>> variables = [:]) {
        new MapContext(variables, [:], [:], true)
    }

    @Override
    Object variable(String root, String name) {
        reads << "${root}.${name}".toString()
        lookup(variables[root], name)
    }

    @Override
    Object output(String task, String key) {
        reads << "outputs.${task}.${key}".toString()
        lookup(outputs[task], key)
    }

    @Override
    Object status(String function) {
        reads << "${function}()".toString()
        lookup(status, function)
    }

    private Object lookup(Map<String, Object> map, String key) {
        map != null && map.containsKey(key) ? map[key] : (unknownWhenAbsent ? Unknown.VALUE : null)
    }
}
