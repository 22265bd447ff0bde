// expect: 'execute' is not allowed || using the class 'ProcessGroovyMethods'
org.codehaus.groovy.runtime.ProcessGroovyMethods.execute('touch CANARY')
