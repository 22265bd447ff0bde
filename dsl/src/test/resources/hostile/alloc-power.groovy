// expect: '**' is not allowed
def x = 2 ** 1000000000
