// expect: calling 'multiply' on text is not allowed
def s = 'x' * 2000000000
