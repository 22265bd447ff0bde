// expect: 'getClass' is not allowed
def m = 'x'.getClass().getMethods()
