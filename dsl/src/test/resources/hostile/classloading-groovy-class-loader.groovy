// expect: creating objects with 'new'
def c = new GroovyClassLoader().parseClass('class X { static { "touch CANARY".execute() } }')
