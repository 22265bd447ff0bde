// expect: calling 'matches' on a String is not allowed
def ok = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'.matches('(a+)+$')
