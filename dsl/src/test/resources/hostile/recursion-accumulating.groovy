// expect: recurses too deeply || MiB of memory
Closure f
f = { List acc -> f.call(acc + acc.size()) }
f.call([0])
