// expect: (::) are not allowed
def e = 'touch CANARY'::execute
e()
