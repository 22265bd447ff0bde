// expect: '*' on a BigDecimal is not allowed
def x = 2.0
64.times { x = x * x }
