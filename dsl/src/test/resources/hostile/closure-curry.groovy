// expect: calling 'curry' on a { … } block is not allowed
def c = { a, b -> a + b }
def d = c.curry('x')
