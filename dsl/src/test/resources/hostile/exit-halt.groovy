// expect: using the class 'Runtime'
Runtime.runtime.halt(3)
