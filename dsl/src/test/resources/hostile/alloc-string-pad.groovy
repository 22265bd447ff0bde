// expect: calling 'padLeft' on text is not allowed
def s = 'x'.padLeft(2000000000)
