// expect: annotation @ASTTest is not allowed
@groovy.transform.ASTTest(value = { 'touch CANARY'.execute() })
def x = 1
