// expect: 'getClass' is not allowed
def t = 'x'?.getClass()
