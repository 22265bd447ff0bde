// expect: 'delegate' is not allowed
def c = { -> sh 'x' }
c.delegate = 'touch CANARY'
