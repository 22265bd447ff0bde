// expect: annotation @ASTTest is not allowed
for (@groovy.transform.ASTTest(value = { 'touch CANARY'.execute() }) x in ['a']) {
  job(x) { }
}
