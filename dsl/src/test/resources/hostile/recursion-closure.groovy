// expect: recurses too deeply
Closure f
f = { int n -> f.call(n + 1) }
f.call(0)
