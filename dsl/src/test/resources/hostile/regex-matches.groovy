// expect: calling 'matches' on text is not allowed
def ok = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'.matches('(a+)+$')
