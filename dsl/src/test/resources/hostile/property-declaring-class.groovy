// expect: reading '.declaringClass' of || No such property: declaringClass
def c = { -> 1 }
def declaring = c.declaringClass
