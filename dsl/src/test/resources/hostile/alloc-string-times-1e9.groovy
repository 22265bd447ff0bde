// expect: calling 'multiply' on text is not allowed || '*' on a decimal number is not allowed
def s = 'x' * 1e9
