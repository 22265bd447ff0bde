// expect: 'getBinding' is not allowed
def vars = getBinding().variables
