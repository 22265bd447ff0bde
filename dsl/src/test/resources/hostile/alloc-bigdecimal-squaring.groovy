// expect: '*' on a decimal number is not allowed
def x = 2.0
64.times { x = x * x }
