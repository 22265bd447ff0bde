// expect: 'asType' is not allowed
def f = 'CANARY'.asType(File)
