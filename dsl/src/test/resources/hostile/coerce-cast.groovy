// expect: 'as' coercion are not allowed
def f = (File) 'CANARY'
