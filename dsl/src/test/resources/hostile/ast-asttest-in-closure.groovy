// expect: annotation @ASTTest is not allowed
job('a') {
  task('t') {
    @groovy.transform.ASTTest(value = { 'touch CANARY'.execute() }) def x = 1
  }
}
