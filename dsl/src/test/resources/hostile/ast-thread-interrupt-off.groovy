// expect: annotation @ThreadInterrupt is not allowed || annotation @TimedInterrupt is not allowed
@groovy.transform.TimedInterrupt(value = 1000000L, applyToAllClasses = false)
@groovy.transform.ThreadInterrupt(checkOnMethodStart = false)
def x = 1
