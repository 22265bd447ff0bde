// expect: 'as' coercion are not allowed
def f = 'CANARY' as File
f.text = 'pwned'
