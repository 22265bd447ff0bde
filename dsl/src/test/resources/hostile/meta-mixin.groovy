// expect: 'mixin' is not allowed
[:].mixin(org.codehaus.groovy.runtime.ProcessGroovyMethods)
