// expect: calling 'multiply' on a String is not allowed || '*' on a BigDecimal is not allowed
def s = 'x' * 1e9
