// expect: (::) are not allowed
def f = String::valueOf
