// expect: calling 'padLeft' on a String is not allowed
def s = 'x'.padLeft(2000000000)
