// expect: calling 'ncurry' on a { … } block is not allowed || calling 'rcurry' on a { … } block is not allowed
def c = { a, b -> a }
def d = c.ncurry(1, 'x').rcurry('y')
