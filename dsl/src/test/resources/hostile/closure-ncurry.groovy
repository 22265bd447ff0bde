// expect: calling 'ncurry' on a Closure is not allowed || calling 'rcurry' on a Closure is not allowed
def c = { a, b -> a }
def d = c.ncurry(1, 'x').rcurry('y')
