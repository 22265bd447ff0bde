package io.stoker.dsl.groovy.sandbox;

import groovy.lang.Closure;
import groovy.lang.Range;
import org.codehaus.groovy.ast.ClassHelper;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.transform.stc.StaticTypeCheckingSupport;

import java.util.Map;
import java.util.Set;

/**
 * The short list of JDK/GDK methods a Jobfile may call outside the DSL, by the kind of receiver. Methods that run
 * long without calling back into the script (and so without passing a deadline check), allocate by a factor
 * ({@code multiply} on strings and lists, {@code padLeft}), use regular expressions that can backtrack for ever
 * ({@code replaceAll}, {@code matches}) or reach the outside world are simply not on it.
 */
final class CallAllowList {

    enum Kind { STRING, NUMBER, BOOLEAN, RANGE, COLLECTION, MAP, ENTRY, CLOSURE, OTHER }

    /** Number methods whose result can grow without bound for big numbers; allowed on int and long only. */
    static final Set<String> GROWING = Set.of("multiply", "power", "leftShift");

    /** Range methods that take constant time; every other range method must be given a closure to call back. */
    static final Set<String> CONSTANT_ON_RANGE = Set.of("size", "contains", "isEmpty", "getFrom", "getTo", "isCase",
            "iterator", "hasNext", "next", "toString", "asBoolean");

    private static final Set<String> ANY = Set.of("equals", "hashCode", "toString", "asBoolean", "compareTo");

    private static final Map<Kind, Set<String>> ALLOWED = Map.of(
            Kind.STRING, Set.of("plus", "toUpperCase", "toLowerCase", "trim", "strip", "stripIndent", "stripMargin",
                    "split", "tokenize", "replace", "startsWith", "endsWith", "contains", "length", "size",
                    "substring", "indexOf", "lastIndexOf", "isEmpty", "isBlank", "capitalize", "uncapitalize", "take",
                    "drop", "getAt", "isCase", "toInteger", "toLong", "toBigDecimal", "isInteger", "isLong",
                    "isNumber", "isBigDecimal", "equalsIgnoreCase", "charAt", "concat", "minus", "readLines",
                    "each", "eachLine"),
            Kind.NUMBER, Set.of("plus", "minus", "multiply", "div", "intdiv", "mod", "remainder", "next", "previous",
                    "times", "upto", "downto", "step", "abs", "intValue", "longValue", "toInteger", "toLong",
                    "toBigDecimal", "negative", "positive", "isCase"),
            Kind.BOOLEAN, Set.of("and", "or", "xor", "not", "booleanValue", "implies"),
            // a range may be huge while costing nothing: only methods that call back (and so check the deadline)
            Kind.RANGE, Set.of("each", "eachWithIndex", "collect", "findAll", "find", "any", "every", "size",
                    "contains", "isEmpty", "getFrom", "getTo", "isCase", "iterator", "hasNext", "next", "count",
                    "inject"),
            Kind.COLLECTION, Set.of("each", "eachWithIndex", "collect", "collectEntries", "findAll",
                    "find", "findIndexOf", "any", "every", "count", "join", "size", "isEmpty", "contains",
                    "containsAll", "get", "getAt", "putAt", "add", "addAll", "remove", "plus", "minus", "first",
                    "last", "head", "tail", "take", "drop", "sort", "unique", "reverse", "indexOf", "withIndex",
                    "toSet", "toList", "groupBy", "inject", "max", "min", "sum", "subList", "leftShift",
                    "isCase", "iterator", "hasNext", "next"),
            Kind.MAP, Set.of("each", "eachWithIndex", "collect", "collectEntries", "findAll", "find", "any", "every",
                    "count", "get", "getAt", "put", "putAt", "putAll", "containsKey", "containsValue", "keySet",
                    "values", "entrySet", "size", "isEmpty", "plus", "minus", "subMap", "getOrDefault", "remove",
                    "sort", "groupBy", "inject", "isCase", "iterator", "leftShift"),
            Kind.ENTRY, Set.of("getKey", "getValue"),
            Kind.CLOSURE, Set.of("call", "doCall"),
            Kind.OTHER, Set.of());

    private static final ClassNode RANGE = ClassHelper.make(Range.class);
    private static final ClassNode MAP = ClassHelper.MAP_TYPE;
    private static final ClassNode ENTRY = ClassHelper.make(Map.Entry.class);
    private static final ClassNode ITERABLE = ClassHelper.make(Iterable.class);
    private static final ClassNode ITERATOR = ClassHelper.make(java.util.Iterator.class);
    private static final ClassNode CHARS = ClassHelper.make(CharSequence.class);
    private static final ClassNode CLOSURE = ClassHelper.make(Closure.class);

    private CallAllowList() {
    }

    static Kind kind(ClassNode type) {
        if (type == null) {
            return Kind.OTHER;
        }
        ClassNode t = ClassHelper.isPrimitiveType(type) ? ClassHelper.getWrapper(type) : type;
        if (is(t, RANGE)) {
            return Kind.RANGE;
        }
        if (is(t, MAP)) {
            return Kind.MAP;
        }
        if (is(t, ENTRY)) {
            return Kind.ENTRY;
        }
        if (is(t, ITERABLE) || is(t, ITERATOR)) {
            return Kind.COLLECTION;
        }
        if (is(t, CHARS) || is(t, ClassHelper.GSTRING_TYPE) || is(t, ClassHelper.STRING_TYPE)) {
            return Kind.STRING;
        }
        if (is(t, ClassHelper.Number_TYPE)) {
            return Kind.NUMBER;
        }
        if (is(t, ClassHelper.Boolean_TYPE)) {
            return Kind.BOOLEAN;
        }
        if (is(t, CLOSURE)) {
            return Kind.CLOSURE;
        }
        return Kind.OTHER;
    }

    static boolean isMachineInteger(ClassNode type) {
        ClassNode t = ClassHelper.isPrimitiveType(type) ? ClassHelper.getWrapper(type) : type;
        return t.equals(ClassHelper.Integer_TYPE) || t.equals(ClassHelper.Long_TYPE)
                || t.equals(ClassHelper.Short_TYPE) || t.equals(ClassHelper.Byte_TYPE);
    }

    static boolean allows(Kind kind, String method) {
        if (kind == Kind.RANGE) {
            return allowsOnRange(method);
        }
        return ANY.contains(method) || ALLOWED.get(kind).contains(method);
    }

    /** Not even {@code equals} or {@code hashCode}: on a list-like range they walk every element. */
    static boolean allowsOnRange(String method) {
        return ALLOWED.get(Kind.RANGE).contains(method) || method.equals("toString") || method.equals("asBoolean");
    }

    private static boolean is(ClassNode type, ClassNode wanted) {
        return type.equals(wanted) || StaticTypeCheckingSupport.implementsInterfaceOrIsSubclassOf(type, wanted);
    }
}
