// expect: recurses too deeply
Closure a
Closure b
a = { int n -> b.call(n + 1) }
b = { int n -> a.call(n + 1) }
a.call(0)
