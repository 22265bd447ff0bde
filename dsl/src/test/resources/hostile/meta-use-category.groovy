// expect: 'use' is not allowed
use(org.codehaus.groovy.runtime.ProcessGroovyMethods) {
  'touch CANARY'.execute()
}
