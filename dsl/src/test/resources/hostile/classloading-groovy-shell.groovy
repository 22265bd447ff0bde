// expect: creating objects with 'new'
new GroovyShell().evaluate('"touch CANARY".execute()')
