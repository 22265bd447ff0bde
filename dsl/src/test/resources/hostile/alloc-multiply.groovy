// expect: calling 'multiply' on a String is not allowed
def s = 'x' * 2000000000
