// expect: regular expressions (~/…/) are not allowed
def p = ~'(a+)+$'
