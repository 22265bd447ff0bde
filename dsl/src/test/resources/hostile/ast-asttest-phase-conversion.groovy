// expect: annotation @ASTTest is not allowed
@groovy.transform.ASTTest(phase = org.codehaus.groovy.control.CompilePhase.CONVERSION, value = {
  new File('CANARY').text = 'pwned'
})
def x = 1
