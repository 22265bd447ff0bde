// expect: defining a method is not allowed
def evil() { 'touch CANARY'.execute() }
job('a') { task('t') { sh 'true' } }
