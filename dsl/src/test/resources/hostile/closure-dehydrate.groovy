// expect: 'dehydrate' is not allowed
def c = { -> 1 }.dehydrate()
