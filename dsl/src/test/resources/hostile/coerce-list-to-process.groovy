// expect: 'as' coercion are not allowed
def p = ['touch', 'CANARY'] as ProcessBuilder
p.start()
