package io.stoker.dsl.groovy;

import io.stoker.dsl.draft.ServiceDraft;
import io.stoker.dsl.draft.TaskDraft;
import io.stoker.dsl.groovy.sandbox.DslEntries;
import io.stoker.dsl.groovy.sandbox.DslNoun;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The entries of a {@code services { … }} block: {@code postgres image: 'postgres:16', env: [POSTGRES_PASSWORD: 'x'],
 * command: ['postgres', '-c', 'fsync=off'], ready: 'pg_isready -U postgres'}, one per service, named by its word.
 */
@DslNoun("services")
@DslEntries
public final class ServicesSpec extends DslDelegate implements groovy.lang.GroovyObject {

    private static final List<String> OPTIONS = List.of("image", "env", "command", "ready");

    private final TaskDraft task;

    ServicesSpec(Evaluation evaluation, TaskDraft task) {
        super(evaluation);
        this.task = task;
    }

    private groovy.lang.MetaClass metaClass = groovy.lang.GroovySystem.getMetaClassRegistry().getMetaClass(ServicesSpec.class);

    @Override
    public groovy.lang.MetaClass getMetaClass() {
        return metaClass;
    }

    @Override
    public void setMetaClass(groovy.lang.MetaClass metaClass) {
        // fixed: a Jobfile cannot change how its blocks dispatch
    }

    /**
     * The closure of {@code services { … }} sends {@code NAME option: value, …} here (the sandbox lets only that form
     * through): each is one service.
     */
    @Override
    public Object invokeMethod(String name, Object args) {
        Evaluation evaluation = evaluation();
        Object[] given = args instanceof Object[] array ? array : new Object[]{args};
        if (given.length != 1 || !(given[0] instanceof Map<?, ?> options)) {
            evaluation.error("a service is written NAME image: '…', e.g. postgres image: 'postgres:16'");
            return null;
        }
        @SuppressWarnings("unchecked") Map<String, ?> named = (Map<String, ?>) options;
        unknownOptions(named, "service '" + name + "'", OPTIONS);
        String image = text(named.get("image"), "image");
        Map<String, String> env = new LinkedHashMap<>();
        Object envOption = named.get("env");
        if (envOption instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                String value = Values.text(v);
                if (value == null) {
                    evaluation.error("service '" + name + "' env: value for '" + k + "' must be text, not "
                            + Values.describe(v));
                } else {
                    env.put(evaluation.collect(String.valueOf(k)), evaluation.collect(value));
                }
            });
        } else if (envOption != null) {
            evaluation.error("service '" + name + "' env: takes a map, e.g. env: [POSTGRES_PASSWORD: 'x']");
        }
        List<String> command = new ArrayList<>();
        Object commandOption = named.get("command");
        if (commandOption instanceof List<?> list) {
            command.addAll(texts(list.toArray(), "command"));
        } else if (commandOption != null) {
            evaluation.error("service '" + name + "' command: takes a list, e.g. command: ['postgres', '-c', 'fsync=off']");
        }
        String ready = text(named.get("ready"), "ready");
        task.services.add(new ServiceDraft(evaluation.collect(name), image, env, command, ready, here()));
        return null;
    }
}
