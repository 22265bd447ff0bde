// expect: annotation @ASTTest is not allowed
def c = { @groovy.transform.ASTTest(value = { 'touch CANARY'.execute() }) x -> x }
job('a') { task('t') { sh c('true') } }
