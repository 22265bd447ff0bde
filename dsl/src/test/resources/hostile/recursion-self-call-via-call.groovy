// expect: calling 'plus' on an Object is not allowed || recurses too deeply
def f
f = { n -> f(n + 1) }
f(0)
