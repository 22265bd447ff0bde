// expect: reading '.declaringClass' of || 'declaringClass' cannot be read from
def c = { -> 1 }
def declaring = c.declaringClass
