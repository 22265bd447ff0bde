// expect: 'rehydrate' is not allowed
def c = { -> 1 }
def d = c.rehydrate(null, null, null)
