// expect: calling 'trampoline' on a { … } block is not allowed
def f
f = { int n -> n == 0 ? 0 : f.trampoline(n - 1) }.trampoline()
f(1000000000)
